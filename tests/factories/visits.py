from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.factories.customers import CustomerFactory
from visitflow.accounts.models import User
from visitflow.customers.models import Customer
from visitflow.visits import services
from visitflow.visits.models import Visit

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def make_visit(
    *,
    actor: User,
    customer: Customer | None = None,
    starts_at: datetime | None = None,
    days: int = 2,
    **extra: object,
) -> Visit:
    """A draft visit registered through the service (so its steps exist)."""
    customer = customer or CustomerFactory(owner=actor)
    starts_at = starts_at or local(2026, 12, 10, 10)
    return services.visit_create(
        actor=actor,
        customer=customer,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(days=days),
        **extra,  # type: ignore[arg-type]
    )


def make_ready_visit(*, actor: User, **extra: object) -> Visit:
    """A visit with everything confirmation needs: two visitors and both legs by air."""
    visit = make_visit(actor=actor, purposes=["negotiation"], wants_pickup=True, **extra)
    for name, features in (("王建国", "戴眼镜，灰色西装"), ("李娜", "短发，红色外套")):
        services.visitor_add(actor=actor, visit=visit, name=name, features=features)
    services.leg_add(
        actor=actor,
        visit=visit,
        direction="inbound",
        mode="flight",
        number="CA1831",
        from_place="北京首都T3",
        to_place="深圳宝安T3",
        departs_at=visit.starts_at - timedelta(hours=4),
        arrives_at=visit.starts_at - timedelta(hours=1),
    )
    services.leg_add(
        actor=actor,
        visit=visit,
        direction="outbound",
        mode="train",
        number="G80",
        from_place="深圳北",
        to_place="北京西",
        departs_at=visit.ends_at - timedelta(hours=1),
        arrives_at=visit.ends_at + timedelta(hours=8),
    )
    visit.refresh_from_db()
    return visit
