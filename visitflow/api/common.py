"""Pieces every router shares."""

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Path, Schema
from pydantic import Field, field_validator, model_validator

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


class InputSchema(Schema):
    """Every request shape. NUL cannot be stored in a PostgreSQL text column, so a string
    carrying one is refused here instead of failing in the database."""

    @model_validator(mode="before")
    @classmethod
    def _require_object(cls, data: Any) -> Any:
        # Ninja's Schema reads attributes off anything, so `[]` or `12` would otherwise
        # pass as a PATCH that changes nothing.
        inner = getattr(data, "_obj", data)  # ninja's DjangoGetter wraps the input
        if not isinstance(inner, dict):
            raise ValueError("must be a JSON object")
        return data

    @field_validator("*", mode="after")
    @classmethod
    def _reject_nul(cls, value: Any) -> Any:
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("may not contain NUL characters")
        return value
