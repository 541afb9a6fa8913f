"""Errors as JSON, in the caller's language, never as a 500 for bad input.

Validation failures keep Ninja's 422 shape, {"detail": [{"loc", "msg", "type"}]}, whether
the schema or a service found them, so a client handles both the same way."""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from visitflow.core.exceptions import ApplicationError


def error_items(field_errors: dict[str, list[Any]], message: Any) -> list[dict[str, Any]]:
    items = [
        {
            "loc": ["body"] if field in ("__all__", NON_FIELD_ERRORS) else ["body", field],
            "msg": str(msg),
            "type": "application_error",
        }
        for field, messages in field_errors.items()
        for msg in messages
    ]
    return items or [{"loc": ["body"], "msg": str(message), "type": "application_error"}]


def register_exception_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ApplicationError)
    def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
        return api.create_response(
            request, {"detail": error_items(exc.field_errors, exc.message)}, status=422
        )

    @api.exception_handler(DjangoValidationError)
    def django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        field_errors = exc.message_dict if hasattr(exc, "error_dict") else {}
        message = exc.messages[0] if exc.messages else _("Invalid input.")
        return api.create_response(
            request, {"detail": error_items(field_errors, message)}, status=422
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"detail": _("Not found.")}, status=404)

    @api.exception_handler(AuthenticationError)
    def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = api.create_response(
            request, {"detail": _("Log in or send a valid API token.")}, status=401
        )
        response["WWW-Authenticate"] = "Bearer"
        return response
