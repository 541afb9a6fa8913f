from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from visitflow.logistics.models import TransferKind, TransferState
from visitflow.logistics.permissions import can_plan_transfer
from visitflow.visits.models import LegDirection, Visit

register = template.Library()


@register.simple_tag(takes_context=True)
def visit_transfers(context: template.Context, visit: Visit) -> SafeString:
    """The visit page's pickup and see-off panel, with a plan button per journey."""
    request = context.get("request")
    user = getattr(request, "user", None)
    active = {
        t.leg_id: t
        for t in visit.transfers.exclude(state=TransferState.CANCELLED).select_related(
            "vehicle", "escort"
        )
    }
    rows = [
        {
            "leg": leg,
            "is_pickup": leg.direction == LegDirection.INBOUND,
            "kind_label": (
                TransferKind.PICKUP.label
                if leg.direction == LegDirection.INBOUND
                else TransferKind.SEE_OFF.label
            ),
            "transfer": active.get(leg.pk),
        }
        for leg in visit.legs.all()
    ]
    can_plan = user is not None and can_plan_transfer(user, visit)
    html = render_to_string(
        "logistics/transfers/_visit_panel.html",
        {"rows": rows, "can_plan": can_plan},
        request=request,
    )
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, escaped there
