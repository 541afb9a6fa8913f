"""What the two logistics routers share: naive times read in the company's zone, an
error on one field, and the 409 that names the booking in the way."""

from datetime import datetime
from typing import Any

from django.utils import timezone
from ninja import Status

from visitflow.core.exceptions import ApplicationError
from visitflow.logistics.services.bookings import BookingConflict


def aware(value: datetime) -> datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def field_error(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, field_errors={field: [message]})


def conflict(exc: BookingConflict) -> Status[dict[str, Any]]:
    return Status(
        409, {"detail": str(exc.message), "conflict_with": exc.other.pk if exc.other else None}
    )
