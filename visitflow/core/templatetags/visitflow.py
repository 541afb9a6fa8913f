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
    "visit.created": _("registered the visit"),
    "visit.updated": _("changed the visit"),
    "visit.rescheduled": _("moved the visit"),
    "visit.confirmed": _("confirmed the visit"),
    "visit.draft": _("took the visit back to draft"),
    "visit.in_progress": _("recorded the arrival"),
    "visit.departed": _("recorded the departure"),
    "visit.closed": _("closed the visit"),
    "visit.cancelled": _("cancelled the visit"),
    "visitor.added": _("added visitor"),
    "visitor.updated": _("changed visitor"),
    "visitor.removed": _("removed visitor"),
    "leg.added": _("added journey"),
    "leg.updated": _("changed journey"),
    "leg.removed": _("removed journey"),
    "step.done": _("completed step"),
    "step.skipped": _("skipped step"),
    "step.reopened": _("reopened step"),
    "request.created": _("recorded request"),
    "request.state": _("updated request"),
    "return_call.recorded": _("recorded the return call"),
    "visit.outcome_recorded": _("recorded the outcome of the visit"),
    # The visiting party's self-service link (issue 9)
    "portal.link_created": _("made the visitor's self-service link"),
    "portal.link_renewed": _("replaced the visitor's self-service link"),
    "portal.link_revoked": _("revoked the visitor's self-service link"),
    "portal.change_proposed": _("proposed a change on their link"),
    "portal.change_confirmed": _("confirmed the visitor's change"),
    "portal.change_rejected": _("declined the visitor's change"),
    "follow_up.planned": _("planned a follow-up"),
    "follow_up.done": _("logged a follow-up"),
    # Logistics (SOP 5.1 接车/送车, 参观, 领导接见, 纪念品)
    "booking.created": _("booked a car, room or person"),
    "booking.moved": _("moved a booking"),
    "booking.cancelled": _("released a booking"),
    "transfer.planned": _("planned a pickup or see-off"),
    "transfer.moved": _("moved a pickup or see-off with the journey"),
    "transfer.message_sent": _("told the customer about the pickup"),
    "transfer.customer_told": _("told the customer about the pickup"),
    "transfer.on_the_way": _("set out for the station"),
    "transfer.met": _("met the visitors"),
    "transfer.done": _("finished the pickup or see-off"),
    "transfer.cancelled": _("cancelled a pickup or see-off"),
    "tour.booked": _("booked the company tour"),
    "leader_meeting.requested": _("asked a leader to meet the customer"),
    "leader_meeting.accepted": _("accepted the leader meeting"),
    "leader_meeting.declined": _("declined the leader meeting"),
    "leader_meeting.other_time": _("proposed another time for the leader meeting"),
    "leader_meeting.cancelled": _("cancelled the leader meeting"),
    "gift.issued": _("took gifts from stock"),
    "gift.handed_over": _("handed the gifts over"),
    "gift.returned": _("returned gifts to stock"),
    # Cover for a host who is away (SOP 5.2)
    "absence.created": _("recorded an absence"),
    "absence.updated": _("changed an absence"),
    "absence.deleted": _("removed an absence"),
    "cover.requested": _("asked for a stand-in host"),
    "cover.assigned": _("chose a stand-in host"),
    "cover.accepted": _("accepted to stand in"),
    "cover.declined": _("declined to stand in"),
    "cover.cancelled": _("withdrew the stand-in request"),
    "cover.apology_sent": _("sent the customer an apology"),
    "reschedule.proposed": _("proposed new dates"),
    "reschedule.agreed": _("moved the visit to the agreed dates"),
    "reschedule.declined": _("recorded that the customer declined new dates"),
    "reschedule.withdrawn": _("withdrew the proposed dates"),
    # Trade shows (SOP 5.3)
    "invitation.created": _("invited the customer to a trade show"),
    "invitation.letter_sent": _("e-mailed the invitation letter"),
    "invitation.called": _("called about the invitation"),
    "invitation.answered": _("recorded the customer's answer to the invitation"),
    "invitation.link_revoked": _("revoked the invitation link"),
    "invitation.link_renewed": _("renewed the invitation link"),
    "booth.checked_in": _("checked the visitor in at the booth"),
    "booth.attended": _("attended the visitor at the booth"),
    "booth.recorded": _("recorded the booth visit"),
    "booth.seen_off": _("saw the visitor off at the booth"),
    "booth.visit_started": _("invited the visitor to the company"),
    "lead.captured": _("captured a trade-show lead"),
    "lead.assigned": _("assigned a trade-show lead"),
    "lead.called": _("called a trade-show lead"),
    "lead.converted": _("converted a trade-show lead"),
    "lead.merged": _("merged duplicate leads"),
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
