"""The visit lists as files (issue 9): visits, customer requests, return calls and
follow-ups, with the columns their pages show and a little more."""

from django.utils.translation import gettext_lazy as _

from visitflow.reports.exports import Column
from visitflow.visits.models import Visit


def _customer(visit: Visit) -> str:
    return visit.customer.name


VISIT_COLUMNS = [
    Column(_("customer"), _customer, width=30),
    Column(_("level"), lambda v: v.customer.level.name),
    Column(_("host"), lambda v: str(v.host)),
    Column(_("stand-in host"), lambda v: str(v.stand_in) if v.stand_in else ""),
    Column(_("status"), lambda v: v.get_status_display()),
    Column(_("importance"), lambda v: v.get_importance_display()),
    Column(_("purposes"), lambda v: "、".join(v.purpose_labels()), width=24),
    Column(_("expected arrival"), lambda v: v.starts_at, width=18),
    Column(_("expected departure"), lambda v: v.ends_at, width=18),
    Column(_("outcome"), lambda v: v.get_outcome_display() if v.outcome else ""),
    Column(_("deal amount (CNY)"), lambda v: v.deal_amount, width=16),
]

REQUEST_COLUMNS = [
    Column(_("customer"), lambda r: r.customer.name, width=30),
    Column(_("request"), lambda r: r.title, width=30),
    Column(_("details"), lambda r: r.details, width=40),
    Column(_("owner"), lambda r: str(r.owner) if r.owner else ""),
    Column(_("due date"), lambda r: r.due_date),
    Column(_("state"), lambda r: r.get_state_display()),
    Column(_("closed at"), lambda r: r.closed_at, width=18),
    Column(_("outcome"), lambda r: r.resolution, width=30),
]

RETURN_CALL_COLUMNS = [
    Column(_("customer"), lambda c: c.visit.customer.name, width=30),
    Column(_("visit"), lambda c: c.visit.starts_at, width=18),
    Column(_("called by"), lambda c: str(c.made_by) if c.made_by else ""),
    Column(_("called at"), lambda c: c.made_at, width=18),
    Column(_("reached the customer"), lambda c: c.reached),
    Column(_("products (1-5)"), lambda c: c.product_rating),
    Column(_("feedback on the products"), lambda c: c.product_feedback, width=40),
    Column(_("company image (1-5)"), lambda c: c.image_rating),
    Column(_("feedback on the company's image"), lambda c: c.image_feedback, width=40),
    Column(_("suggestions"), lambda c: c.suggestions, width=40),
]

FOLLOW_UP_COLUMNS = [
    Column(_("customer"), lambda f: f.customer.name, width=30),
    Column(_("level"), lambda f: f.customer.level.name),
    Column(_("owner"), lambda f: str(f.owner) if f.owner else ""),
    Column(_("due date"), lambda f: f.due_date),
    Column(_("state"), lambda f: f.get_state_display()),
    Column(_("done at"), lambda f: f.done_at, width=18),
    Column(_("channel"), lambda f: f.get_channel_display() if f.channel else ""),
    Column(_("notes"), lambda f: f.notes, width=40),
]
