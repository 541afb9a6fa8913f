from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from visitflow.portal.views_host import panel_context
from visitflow.visits.models import Visit

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_panel(context: template.Context, visit: Visit) -> SafeString:
    """The visit page's self-service link card (issue 9), for those who manage it."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return mark_safe("")
    ctx = panel_context(user, visit)
    if not ctx["can_manage_portal"]:
        return mark_safe("")
    ctx["csrf_token"] = context.get("csrf_token")
    return render_to_string("portal/_visit_panel.html", ctx, request=context.get("request"))
