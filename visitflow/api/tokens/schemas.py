from datetime import datetime

from ninja import Field, Schema

from visitflow.api.common import InputSchema


class TokenIn(InputSchema):
    name: str = Field(..., max_length=100)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created: datetime
    last_used: datetime | None
    revoked_at: datetime | None
    is_active: bool


class TokenCreatedOut(TokenOut):
    token: str = Field(..., description="The token itself. Shown this once; store it now.")
