"""Demo trade show (used by `seed_demo`, after the demo company and logistics): an
upcoming show with its booth team, posts and shifts, invitations of the east team's
customers with a few answers and calls, the booth checklist from the standard, and a few
leads. Built through the services, so the rules hold; idempotent by the show's name."""

from dataclasses import dataclass
from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone

from visitflow.accounts.models import User
from visitflow.core.exceptions import ApplicationError
from visitflow.customers.models import Contact
from visitflow.tradeshows.models import CallOutcome, TradeShow
from visitflow.tradeshows.services import booth, checklist, invitations, shows

DEMO_SHOW = "2027中国国际五金博览会"


@dataclass(frozen=True)
class TradeShowSummary:
    shows_created: int
    invitations_created: int
    leads_created: int

    def __str__(self) -> str:
        return (
            f"{self.shows_created} show, {self.invitations_created} invitations, "
            f"{self.leads_created} leads created"
        )


LEADS = [
    {
        "name": "周海涛",
        "company": "宁波海涛五金制品有限公司",
        "title": "采购经理",
        "mobile": "13905741234",
        "email": "zhou.haitao@haitao-hw.example",
        "grade": "A",
        "interest": "液压阀、气动元件",
    },
    {
        "name": "Anna Müller",
        "company": "Müller Werkzeuge GmbH",
        "title": "Einkauf",
        "email": "anna.mueller@mueller-werkzeuge.example",
        "website": "www.mueller-werkzeuge.example",
        "grade": "B",
        "interest": "CNC fixtures",
    },
    {
        "name": "吴建国",
        "company": "温州建国机电设备厂",
        "title": "厂长",
        "mobile": "13857701234",
        "grade": "C",
    },
]


@transaction.atomic
def seed_demo_tradeshow() -> TradeShowSummary:
    if TradeShow.objects.filter(name=DEMO_SHOW).exists():
        return TradeShowSummary(0, 0, 0)
    manager = User.objects.filter(username="manager_east").first()
    team = list(User.objects.filter(username__in=["sales_east1", "sales_east2"]))
    if manager is None or len(team) < 2:
        return TradeShowSummary(0, 0, 0)
    start = timezone.localdate() + timedelta(days=21)
    show = shows.tradeshow_create(
        actor=manager,
        team=[manager, *team],
        name=DEMO_SHOW,
        venue="上海新国际博览中心",
        city="上海",
        starts_on=start,
        ends_on=start + timedelta(days=2),
        booth_number="E3-A21",
    )
    desk = shows.staff_post_create(actor=manager, show=show, name="接待台", position=0)
    area = shows.staff_post_create(actor=manager, show=show, name="产品区A", position=1)
    for offset in range(3):
        day = start + timedelta(days=offset)
        for post, person in ((desk, team[0]), (area, team[1])):
            try:
                shows.staff_shift_create(
                    actor=manager,
                    post=post,
                    person=person,
                    day=day,
                    starts_at=time(9),
                    ends_at=time(17),
                )
            except ApplicationError:
                continue  # away that day (the demo business trip): the post stays open
    checklist.checklist_create_from_template(actor=manager, show=show)
    contacts = list(
        Contact.objects.filter(customer__owner__in=team, customer__is_active=True, is_primary=True)
        .select_related("customer__owner")
        .order_by("customer__name")[:8]
    )
    created = invitations.invitation_create_many(actor=manager, show=show, contacts=contacts)
    outcomes = [CallOutcome.WILL_COME, CallOutcome.LETTER_RECEIVED, CallOutcome.DECLINED]
    for invitation, outcome in zip(created, outcomes, strict=False):
        invitations.invitation_call_record(
            actor=invitation.owner, invitation=invitation, outcome=outcome, note="演示"
        )
    leads = [booth.lead_capture(actor=team[0], show=show, data=data) for data in LEADS]
    return TradeShowSummary(1, len(created), len(leads))
