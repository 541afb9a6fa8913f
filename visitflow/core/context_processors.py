from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from visitflow.accounts.models import Role
from visitflow.accounts.roles import is_admin, role_of
from visitflow.customers.permissions import can_list_customers
from visitflow.logistics.permissions import can_manage_resources
from visitflow.logistics.selectors_board import can_view_board, can_view_my_trips
from visitflow.reports.permissions import can_view_dashboard
from visitflow.tradeshows.permissions import can_list_shows


@dataclass(frozen=True)
class NavItem:
    label: str | Promise  # gettext_lazy: translated when the template renders
    url: str
    key: str
    icon: str


# Sections people open now and then: under "More", so that every role's navigation keeps
# to one line from 992 px, in English too.
SECONDARY = frozenset({"absences", "cover_needed", "meetings", "resources", "admin"})


def navigation(request: HttpRequest) -> dict[str, object]:
    """The navigation a person's role gives them; nothing they could not open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    if can_list_customers(user):
        items += [
            NavItem(_("My day"), reverse("visits:my_day"), "my_day", "sun"),
            NavItem(_("Visits"), reverse("visits:list"), "visits", "calendar2-week"),
            NavItem(_("Customers"), reverse("customers:list"), "customers", "building"),
            NavItem(
                _("Follow-ups"), reverse("visits:follow_ups"), "follow_ups", "telephone-outbound"
            ),
        ]
        if can_view_dashboard(user):
            items.append(
                NavItem(_("Dashboard"), reverse("reports:dashboard"), "reports", "graph-up")
            )
    elif can_view_my_trips(user):
        items.append(NavItem(_("My trips"), reverse("logistics:my_trips"), "my_trips", "car-front"))
    else:
        items.append(NavItem(_("Home"), reverse("core:home"), "home", "house"))
    # SOP 5.2: everyone records their trips; managers see what needs cover.
    items.append(NavItem(_("Absences"), reverse("accounts:absence_list"), "absences", "airplane"))
    if is_admin(user) or role_of(user) == Role.SALES_MANAGER:
        items.append(
            NavItem(
                _("Cover needed"),
                reverse("visits:cover_needed"),
                "cover_needed",
                "person-raised-hand",
            )
        )
    if can_list_shows(user):
        items.append(NavItem(_("Trade shows"), reverse("tradeshows:list"), "tradeshows", "shop"))
    if can_view_board(user):
        items.append(NavItem(_("Dispatch"), reverse("logistics:board"), "board", "kanban"))
    if role_of(user) in (Role.DIRECTOR, Role.GENERAL_MANAGER):
        items.append(
            NavItem(
                _("Meeting requests"),
                reverse("logistics:meeting_mine"),
                "meetings",
                "person-video3",
            )
        )
    if can_manage_resources(user):
        items.append(
            NavItem(
                _("Cars and rooms"),
                reverse("logistics:resource_list", args=["vehicles"]),
                "resources",
                "truck-front",
            )
        )
    if is_admin(user):
        items.append(NavItem(_("Administration"), reverse("admin:index"), "admin", "gear"))
    match = getattr(request, "resolver_match", None)
    current = match.namespace if match else ""
    if match and match.url_name in ("my_day", "follow_ups", "follow_up_log"):
        current = "follow_ups" if match.url_name != "my_day" else "my_day"
    if match and match.url_name and match.url_name.startswith("absence"):
        current = "absences"
    elif match and match.url_name == "cover_needed":
        current = "cover_needed"
    if match and match.namespace == "logistics" and match.url_name in ("board", "my_trips"):
        current = match.url_name
    elif match and match.namespace == "logistics" and match.url_name.startswith("resource"):
        current = "resources"
    elif match and match.namespace == "logistics" and match.url_name == "meeting_mine":
        current = "meetings"
    return {
        "nav_items": [item for item in items if item.key not in SECONDARY],
        "nav_more": [item for item in items if item.key in SECONDARY],
        "nav_current": current,
        "nav_more_current": current in SECONDARY,
    }
