from datetime import date
from decimal import Decimal
from typing import Any

from tests.factories.customers import level
from visitflow.accounts.models import User
from visitflow.spend import services
from visitflow.spend.models import SpendCategory, SpendLine, SpendStandard
from visitflow.visits.models import Visit


def make_standard(
    *,
    actor: User,
    level_code: str = "A",
    category: str = SpendCategory.MEAL_BANQUET,
    amount: str | Decimal = "300.00",
    valid_from: date = date(2026, 1, 1),
    room_type: str = "",
    percent: str | Decimal = "20",
) -> SpendStandard:
    """A standard set through the service, as finance would."""
    return services.standard_create(
        actor=actor,
        level=level(level_code),
        category=category,
        amount=amount,
        valid_from=valid_from,
        room_type=room_type,
        manager_max_over_percent=percent,
    )


def make_line(
    *,
    actor: User,
    visit: Visit,
    category: str = SpendCategory.MEAL_BANQUET,
    amount: str | Decimal = "1000.00",
    on: date = date(2026, 12, 10),
    guests: int = 2,
    hosts: int = 2,
    **extra: Any,
) -> SpendLine:
    return services.line_plan(
        actor=actor,
        visit=visit,
        category=category,
        date=on,
        planned_amount=amount,
        guests=guests,
        hosts=hosts,
        **extra,
    )
