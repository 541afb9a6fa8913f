from decimal import Decimal
from typing import Any

from django import template

from visitflow.spend import permissions
from visitflow.spend.selectors import visit_budget
from visitflow.visits.models import Visit

register = template.Library()


@register.filter
def cny(value: Decimal | None) -> str:
    """¥1,234.00: exact, two places, thousands separated."""
    if value is None:
        return "—"
    return f"¥{value:,.2f}"


@register.filter
def cny_abs(value: Decimal | None) -> str:
    return cny(abs(value) if value is not None else None)


@register.inclusion_tag("spend/_visit_budget_panel.html", takes_context=True)
def visit_budget_panel(context: dict[str, Any], visit: Visit) -> dict[str, Any]:
    """The budget panel on the visit page, only for those who may see the spend."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not permissions.can_view_visit_spend(user, visit):
        return {"show": False}
    return {
        "show": True,
        "visit": visit,
        "budget": visit_budget(visit),
        "can_plan": permissions.can_plan_spend(user, visit),
    }


@register.inclusion_tag("spend/_nav_item.html", takes_context=True)
def spend_nav_item(context: dict[str, Any]) -> dict[str, Any]:
    """The navbar's "Spend" link, for those who have spend to see."""
    request = context.get("request")
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    return {
        "show": user is not None and permissions.can_use_spend(user),
        "active": bool(match and match.namespace == "spend"),
    }
