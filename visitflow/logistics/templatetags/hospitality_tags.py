from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from visitflow.logistics.models import LeaderLevel
from visitflow.logistics.permissions import can_manage_resources
from visitflow.logistics.selectors import gift_issues, meetings_for_visit
from visitflow.logistics.services.leaders import leader_recommendation
from visitflow.logistics.services.tours import tour_bookings
from visitflow.visits.models import Visit
from visitflow.visits.permissions import can_edit_visit

register = template.Library()


@register.simple_tag(takes_context=True)
def visit_hospitality(context: template.Context, visit: Visit) -> SafeString:
    """The visit page's tour room, leader meeting and gifts panel."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return mark_safe("")
    can_edit = can_edit_visit(user, visit)
    issues = list(gift_issues(visit))
    recommendation = leader_recommendation(visit)
    return render_to_string(
        "logistics/meetings/_hospitality_panel.html",
        {
            "visit": visit,
            "csrf_token": context.get("csrf_token"),
            "can_edit": can_edit,
            "can_issue": can_edit or can_manage_resources(user),
            "tours": list(tour_bookings(visit)),
            "recommendation": recommendation,
            "recommendation_label": LeaderLevel(recommendation).label,
            "meetings": list(meetings_for_visit(visit)),
            "gift_issues": issues,
            "pending_gifts": any(not i.returned and not i.handed_over_at for i in issues),
        },
    )
