"""Demo data for SOP 5.2 (used by `seed_demo`, after the demo visits): 张磊 (sales_east1)
is on a business trip to 上海 over two of his upcoming visits, so the east manager's
"cover needed" list shows one visit nobody has asked about yet and one whose cover he
has asked for.

Idempotent: nothing is added while 张磊 has a current or upcoming absence, and a visit
that already has a cover request gets no second one. Everything goes through the
services, so the clash notifications are the real ones."""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from visitflow.accounts.models import Absence, AbsenceKind, User
from visitflow.accounts.selectors_absences import company_zone
from visitflow.accounts.services_absences import absence_create
from visitflow.core.exceptions import ApplicationError
from visitflow.visits.models import Visit, VisitStatus
from visitflow.visits.services_cover import absence_clashing_visits, cover_request

TRAVELLER = "sales_east1"
TRIP_FROM_DAY = 4  # days from today
TRIP_DAYS = 4


@dataclass
class CoverSummary:
    absences_created: int = 0
    clashing_visits: int = 0
    cover_requests_created: int = 0

    def __str__(self) -> str:
        return (
            f"{self.absences_created} absence, {self.clashing_visits} clashing visits, "
            f"{self.cover_requests_created} cover request created"
        )


def seed_demo_cover() -> CoverSummary:
    summary = CoverSummary()
    person = User.objects.filter(username=TRAVELLER, is_active=True).first()
    if person is None:
        return summary
    today = timezone.localdate(timezone=company_zone())
    absence = (
        Absence.objects.filter(person=person, ends_on__gte=today).order_by("starts_on").first()
    )
    with transaction.atomic():
        if absence is None:
            try:
                absence = absence_create(
                    actor=person,
                    person=person,
                    kind=AbsenceKind.BUSINESS_TRIP,
                    destination="上海",
                    starts_on=today + timedelta(days=TRIP_FROM_DAY),
                    ends_on=today + timedelta(days=TRIP_FROM_DAY + TRIP_DAYS - 1),
                    note="华东区域展会",
                )
            except ApplicationError:
                return summary
            summary.absences_created = 1
        visits = absence_clashing_visits(absence)
        summary.clashing_visits = len(visits)
        # The later one: 张磊 has asked his manager for cover; the earlier one nobody has.
        later = [v for v in visits if v.host_id == person.pk and v.status == VisitStatus.DRAFT]
        for visit in later[-1:]:
            if not Visit.objects.filter(pk=visit.pk, cover_requests__isnull=False).exists():
                cover_request(
                    actor=person,
                    visit=visit,
                    note="客户第一次来访，重点介绍公司实力和新产品；对方采购经理喜欢喝茶。",
                )
                summary.cover_requests_created += 1
    return summary
