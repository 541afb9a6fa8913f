from datetime import date, time
from typing import Any

from visitflow.accounts.models import User
from visitflow.tradeshows.models import StaffPost, StaffShift, TradeShow
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
