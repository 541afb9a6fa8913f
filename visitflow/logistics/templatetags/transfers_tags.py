from django import template
from django.utils.safestring import SafeString, mark_safe

from visitflow.visits.models import Visit

register = template.Library()


@register.simple_tag(takes_context=True)
def visit_transfers(context: template.Context, visit: Visit) -> SafeString:
    """The visit page's pickup and see-off panel (filled in by the transfers work)."""
    return mark_safe("")
