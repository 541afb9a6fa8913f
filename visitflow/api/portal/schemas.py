from datetime import datetime

from ninja import Field, Schema

from visitflow.api.common import InputSchema


class ChangeOut(Schema):
    id: int
    kind: str = Field(..., description="leg_add, leg_update, visitor_add, visitor_update")
    status: str = Field(..., description="pending, confirmed, rejected")
    leg_id: int | None
    visitor_id: int | None
    data: dict[str, str] = Field(..., description="The proposed values as the party typed them")
    created: datetime
    decided_at: datetime | None
    answer: str


class LinkOut(Schema):
    exists: bool
    state: str = Field(..., description='ok, revoked, expired; "" when there is no link')
    token_prefix: str
    expires_at: datetime | None
    open_count: int
    last_opened_at: datetime | None
    pending: list[ChangeOut]


class NewLinkOut(Schema):
    url: str = Field(..., description="The party's link; shown once, never stored")
    token_prefix: str
    expires_at: datetime


class DeclineIn(InputSchema):
    answer: str = Field(..., max_length=300, description="Shown to the party on their link")
