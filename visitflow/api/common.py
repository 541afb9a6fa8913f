"""Pieces every router shares."""

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Path
from pydantic import Field, field_validator

from visitflow.accounts.models import User

# The largest value a BigAutoField holds; a larger id could only make the database fail.
MAX_ID = 2**63 - 1

ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]
OptionalRefId = Annotated[int | None, Field(None, ge=1, le=MAX_ID)]


def actor(request: HttpRequest) -> User:
    """The authenticated user (set by either auth class)."""
    return request.auth  # type: ignore[attr-defined,no-any-return]


class NoNullsMixin:
    """PATCH bodies: a field left out stays as it is; `null` is not a value for it."""

    @field_validator("*", mode="before")
    @classmethod
    def _reject_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("may not be null")
        return value
