"""Demo hospitality spend (used by `seed_demo`, after the demo visits): the standards of
the hospitality-spend instruction for every customer level, and meals and lodging planned
for a few demo visits — one within the standard, one banquet over it waiting for the
manager, and what was paid for a past visit.

Idempotent: a standard is keyed by (level, category, room type, date); a visit gets demo
lines only while it has none."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from visitflow.accounts.models import User
from visitflow.customers.models import CustomerLevel
from visitflow.spend import services
from visitflow.spend.models import RoomType, SpendCategory, SpendStandard
from visitflow.visits.models import Visit, VisitStatus

STANDARDS_FROM = date(2026, 1, 1)
# Per level code: lunch, dinner, banquet (per person), hotel (per room-night: standard,
# business, suite), gift per visitor, local transport (per trip). CNY.
TABLE: dict[str, tuple[str, str, str, str, str, str, str, str]] = {
    "VIP": ("150", "300", "600", "600", "800", "1500", "500", "800"),
    "A": ("100", "200", "400", "450", "600", "1000", "300", "500"),
    "B": ("80", "150", "300", "380", "480", "", "200", "300"),
    "C": ("60", "100", "200", "300", "", "", "100", "200"),
}


@dataclass
class DemoSpend:
    standards_created: int = 0
    lines_created: int = 0
    actuals_created: int = 0


def _standards(finance: User, result: DemoSpend) -> None:
    for level in CustomerLevel.objects.all():
        row = TABLE.get(level.code)
        if row is None:
            continue
        lunch, dinner, banquet, hotel, business, suite, gift, transport = row
        specs = [
            (SpendCategory.MEAL_LUNCH, "", lunch),
            (SpendCategory.MEAL_DINNER, "", dinner),
            (SpendCategory.MEAL_BANQUET, "", banquet),
            (SpendCategory.HOTEL_NIGHT, "", hotel),
            (SpendCategory.HOTEL_NIGHT, RoomType.BUSINESS, business),
            (SpendCategory.HOTEL_NIGHT, RoomType.SUITE, suite),
            (SpendCategory.GIFT_PER_VISITOR, "", gift),
            (SpendCategory.LOCAL_TRANSPORT, "", transport),
        ]
        for category, room_type, amount in specs:
            if not amount:
                continue
            if SpendStandard.objects.filter(
                level=level, category=category, room_type=room_type, valid_from=STANDARDS_FROM
            ).exists():
                continue
            services.standard_create(
                actor=finance,
                level=level,
                category=category,
                room_type=room_type,
                amount=Decimal(amount),
                valid_from=STANDARDS_FROM,
                manager_max_over_percent=Decimal(20),
                note="《交际接待费用及佣金管理作业指导书》",
            )
            result.standards_created += 1


def _plan(visit: Visit, result: DemoSpend, *, over: bool, paid: bool) -> None:
    host = visit.host
    day = timezone.localtime(visit.starts_at).date()
    guests = max(visit.party_size, 2)
    lunch = services.standard_in_force(
        level=visit.customer.level_id, category=SpendCategory.MEAL_LUNCH, on=day
    )
    banquet = services.standard_in_force(
        level=visit.customer.level_id, category=SpendCategory.MEAL_BANQUET, on=day
    )
    hotel = services.standard_in_force(
        level=visit.customer.level_id, category=SpendCategory.HOTEL_NIGHT, on=day
    )
    if lunch is None or banquet is None or hotel is None:
        return
    lines = [
        services.line_plan(
            actor=host,
            visit=visit,
            category=SpendCategory.MEAL_LUNCH,
            date=day,
            venue="公司餐厅",
            guests=guests,
            hosts=1,
            planned_amount=lunch.amount * (guests + 1),
        ),
        services.line_plan(
            actor=host,
            visit=visit,
            category=SpendCategory.HOTEL_NIGHT,
            date=day,
            venue="深圳福田香格里拉大酒店",
            nights=1,
            rooms=guests,
            planned_amount=hotel.amount * guests,
        ),
    ]
    people = guests + 2
    amount = banquet.amount * people
    lines.append(
        services.line_plan(
            actor=host,
            visit=visit,
            category=SpendCategory.MEAL_BANQUET,
            date=day + timedelta(days=1),
            venue="海上皇宫酒家",
            guests=guests,
            hosts=2,
            planned_amount=(amount * Decimal("1.15")).quantize(Decimal("1")) if over else amount,
            over_reason="客户董事长亲自带队，签约前宴请" if over else "",
        )
    )
    result.lines_created += len(lines)
    if paid:
        for line in lines[:2]:
            services.actual_record(
                actor=host,
                line=line,
                amount=(line.planned_amount * Decimal("0.95")).quantize(Decimal("0.01")),
                payer=host,
                paid_on=line.date,
                deviation_note="",
            )
            result.actuals_created += 1


@transaction.atomic
def seed_demo_spend() -> DemoSpend:
    result = DemoSpend()
    finance = User.objects.filter(username="finance").first()
    if finance is None:
        return result
    _standards(finance, result)
    visits = list(
        Visit.objects.exclude(status=VisitStatus.CANCELLED)
        .filter(spend_lines__isnull=True)
        .select_related("customer", "host__team")
        .order_by("starts_at", "id")
    )
    if Visit.objects.filter(spend_lines__isnull=False).exists():
        return result  # planned once; a person's later changes are theirs
    today = timezone.localdate()
    past = [v for v in visits if timezone.localtime(v.starts_at).date() < today][-2:]
    coming = [v for v in visits if timezone.localtime(v.starts_at).date() >= today][:3]
    for visit in past:
        _plan(visit, result, over=False, paid=True)
    for index, visit in enumerate(coming):
        _plan(visit, result, over=index == 0, paid=False)
    return result
