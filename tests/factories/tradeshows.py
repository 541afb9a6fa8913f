from datetime import date, time
from typing import Any

from tests.factories.customers import ContactFactory, CustomerFactory
from visitflow.accounts.models import User
from visitflow.customers.models import Contact
from visitflow.tradeshows.models import Invitation, StaffPost, StaffShift, TradeShow
from visitflow.tradeshows.services.invitations import invitation_create_many
from visitflow.tradeshows.services.shows import (
    staff_post_create,
    staff_shift_create,
    tradeshow_create,
)


def make_show(*, actor: User, team: list[User] | None = None, **extra: Any) -> TradeShow:
    data = {
        "name": "2026中国国际五金展",
        "venue": "上海新国际博览中心",
        "city": "上海",
        "starts_on": date(2026, 12, 9),
        "ends_on": date(2026, 12, 11),
        "booth_number": "E3-A21",
    }
    data.update(extra)
    return tradeshow_create(actor=actor, team=team or [], **data)


def make_post(show: TradeShow, name: str = "接待台") -> StaffPost:
    return staff_post_create(actor=show.organizer, show=show, name=name)


def make_shift(
    post: StaffPost,
    person: User,
    *,
    day: date | None = None,
    starts_at: time = time(9),
    ends_at: time = time(12),
) -> StaffShift:
    return staff_shift_create(
        actor=post.show.organizer,
        post=post,
        person=person,
        day=day or post.show.starts_on,
        starts_at=starts_at,
        ends_at=ends_at,
    )


def make_invitations(show: TradeShow, actor: User, contacts: list[Contact]) -> list[Invitation]:
    return invitation_create_many(actor=actor, show=show, contacts=contacts)


def make_contact(owner: User, **extra: Any) -> Contact:
    customer_fields = {k: extra.pop(k) for k in ("name", "region", "city") if k in extra}
    customer = CustomerFactory(owner=owner, **customer_fields)
    return ContactFactory(customer=customer, **extra)
