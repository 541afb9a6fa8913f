from typing import Any

from django.db import models

from visitflow.core.models import ActivityLog

# Personal data never lands in the audit trail in clear text (PRODUCT: PIPL).
MASKED_FIELDS = {"mobile", "phone", "email", "wechat_id"}


def mask_value(value: str) -> str:
    if not value:
        return ""
    if len(value) <= 4:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7 if len(value) > 7 else 1) + value[-4:]


def display_value(instance: models.Model, field_name: str) -> str:
    field = instance._meta.get_field(field_name)
    if isinstance(field, models.Field) and field.choices:
        value = getattr(instance, f"get_{field_name}_display")()
    else:
        value = getattr(instance, field_name)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    text = str(value)
    if field_name in MASKED_FIELDS:
        text = mask_value(text)
    return text[:200]


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, str]:
    return {name: display_value(instance, name) for name in fields}


def diff_snapshots(before: dict[str, str], after: dict[str, str]) -> dict[str, list[str]]:
    return {
        name: [before.get(name, ""), value]
        for name, value in after.items()
        if before.get(name, "") != value
    }


def log_activity(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    customer: Any = None,
    changes: dict[str, Any] | None = None,
) -> ActivityLog:
    """Write the audit row; call inside the service's transaction."""
    return ActivityLog.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        customer=customer,
        changes=changes or {},
    )


def validate_model(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    """full_clean(), with Django's ValidationError turned into an ApplicationError whose
    messages sit on their fields (forms and the API show them where they belong)."""
    from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

    from visitflow.core.exceptions import ApplicationError

    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        field_errors = {
            ("__all__" if key == NON_FIELD_ERRORS else key): [str(m) for m in messages]
            for key, messages in exc.message_dict.items()
        }
        first = next(iter(field_errors.values()))[0]
        raise ApplicationError(first, field_errors=field_errors) from exc
