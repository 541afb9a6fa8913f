from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from visitflow.core.models import ActivityLog
from visitflow.core.validators import format_phone

register = template.Library()

ACTION_LABELS = {
    "customer.created": _("registered the customer"),
    "customer.updated": _("changed the customer"),
    "customer.archived": _("archived the customer"),
    "customer.restored": _("restored the customer"),
    "contact.created": _("added contact"),
    "contact.updated": _("changed contact"),
    "contact.deleted": _("removed contact"),
}


@register.filter
def phone(value: str) -> str:
    """An E.164 number as people read it."""
    return format_phone(value or "")


@register.filter
def activity_label(entry: ActivityLog) -> str:
    return str(ACTION_LABELS.get(entry.action, entry.action))


@register.simple_tag
def field_label(entry: ActivityLog, field_name: str) -> str:
    """The changed field's name in the reader's language."""
    try:
        model = apps.get_model(entry.object_type)
        return str(model._meta.get_field(field_name).verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return field_name


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: object) -> str:
    """The current query string with some parameters replaced (sorting, paging)."""
    request = context["request"]
    query = request.GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = str(value)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def yes_no_value(value: str) -> str:
    if value == "1":
        return str(_("yes"))
    if value == "0":
        return str(_("no"))
    return value
