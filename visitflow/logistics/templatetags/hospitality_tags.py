from django import template
from django.utils.safestring import SafeString, mark_safe

from visitflow.visits.models import Visit

register = template.Library()


@register.simple_tag(takes_context=True)
def visit_hospitality(context: template.Context, visit: Visit) -> SafeString:
    """The visit page's tour room, leader meeting and gifts panel."""
    return mark_safe("")
