"""Visits as iCalendar (RFC 5545): one visit's .ics file and a person's subscribed feed.

Everything is a VEVENT (the visit, each travel leg, each pending step as a short event
at its due time): Outlook, Google and Apple Calendar all show subscribed VEVENTs, while
VTODOs in a subscription are ignored by Google and Outlook. Times carry TZID of the
company's zone with its VTIMEZONE, so every client shows them at the right hour.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from visitflow.accounts.models import User
from visitflow.visits.models import (
    LegDirection,
    StepState,
    TravelLeg,
    Visit,
    Visitor,
    VisitStatus,
    VisitStep,
)
from visitflow.visits.selectors import VISIT_MAX_DAYS, visit_base_qs_for_user

UID_DOMAIN = "visitflow"
PRODID = "-//VisitFlow//Visits//EN"
FEED_DAYS_BACK = 14
FEED_DAYS_AHEAD = 90
# A director's feed spans every team; past this many visits the earliest are kept.
FEED_MAX_VISITS = 500
STEP_EVENT_MINUTES = 15
# A leg without a departure time still shows as a short event at its arrival.
LEG_EVENT_MINUTES = 30

# Tentative until the host confirms: calendars grey such events out.
_EVENT_STATUS = {
    VisitStatus.DRAFT: "TENTATIVE",
    VisitStatus.CANCELLED: "CANCELLED",
}

UrlBuilder = Callable[[str], str]


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _local(value: datetime) -> datetime:
    return timezone.localtime(value, _zone())


def _new_calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    return cal


def _finish(cal: Calendar) -> bytes:
    cal.add_missing_timezones()
    return bytes(cal.to_ical())


def visit_summary(visit: Visit) -> str:
    return _("Visit: %(customer)s") % {"customer": visit.customer.name}


def _visitor_line(visitor: Visitor) -> str:
    parts = [visitor.name]
    if visitor.title:
        parts.append(visitor.title)
    line = " · ".join(parts)
    if visitor.features:
        line += " — " + _("how to recognise: %(features)s") % {"features": visitor.features}
    return line


def leg_label(leg: TravelLeg) -> str:
    route = " → ".join(p for p in (leg.from_place, leg.to_place) if p)
    head = leg.number or leg.get_mode_display()
    return f"{head} {route}".strip()


def _leg_line(leg: TravelLeg) -> str:
    times = []
    if leg.departs_at:
        times.append(_local(leg.departs_at).strftime("%m-%d %H:%M"))
    times.append(_local(leg.expected_arrival).strftime("%m-%d %H:%M"))
    return f"{leg.get_direction_display()}: {leg_label(leg)} ({' → '.join(times)})"


def visit_description(
    visit: Visit, visitors: Iterable[Visitor], legs: Iterable[TravelLeg], url: str = ""
) -> str:
    lines = [
        _("Customer: %(customer)s") % {"customer": visit.customer.name},
        _("Host: %(host)s") % {"host": visit.host},
        _("Status: %(status)s") % {"status": visit.get_status_display()},
    ]
    purposes = [*visit.purpose_labels(), visit.purpose_notes]
    purpose = "; ".join(p for p in purposes if p)
    if purpose:
        lines.append(_("Purpose: %(purpose)s") % {"purpose": purpose})
    visitors = list(visitors)
    if visitors:
        lines.append("")
        lines.append(_("Visitors (%(count)s):") % {"count": len(visitors)})
        lines.extend(f"- {_visitor_line(v)}" for v in visitors)
    legs = list(legs)
    if legs:
        lines.append("")
        lines.append(_("Itinerary:"))
        lines.extend(f"- {_leg_line(leg)}" for leg in legs)
    if url:
        lines.extend(["", url])
    return "\n".join(lines)


def _stamp(event: Event, *, uid: str, modified: datetime) -> None:
    event.add("uid", f"{uid}@{UID_DOMAIN}")
    event.add("dtstamp", timezone.now().astimezone(ZoneInfo("UTC")))
    event.add("last-modified", modified.astimezone(ZoneInfo("UTC")))


def visit_event(
    visit: Visit, visitors: Iterable[Visitor], legs: Iterable[TravelLeg], url: str = ""
) -> Event:
    event = Event()
    _stamp(event, uid=f"visit-{visit.pk}", modified=visit.updated)
    event.add("summary", visit_summary(visit))
    event.add("dtstart", _local(visit.starts_at))
    event.add("dtend", _local(visit.ends_at))
    event.add("description", visit_description(visit, visitors, legs, url))
    event.add("status", _EVENT_STATUS.get(VisitStatus(visit.status), "CONFIRMED"))
    if url:
        event.add("url", url)
    return event


def leg_event(visit: Visit, leg: TravelLeg, url: str = "") -> Event:
    event = Event()
    _stamp(event, uid=f"leg-{leg.pk}", modified=leg.updated)
    arrival = leg.expected_arrival
    start = leg.departs_at or arrival - timedelta(minutes=LEG_EVENT_MINUTES)
    if leg.direction == LegDirection.INBOUND:
        summary = _("Arrival: %(leg)s (%(customer)s)")
    else:
        summary = _("Departure: %(leg)s (%(customer)s)")
    event.add("summary", summary % {"leg": leg_label(leg), "customer": visit.customer.name})
    event.add("dtstart", _local(start))
    event.add("dtend", _local(max(arrival, start + timedelta(minutes=1))))
    if leg.to_place:
        event.add("location", leg.to_place)
    event.add("description", visit_summary(visit) + (f"\n{url}" if url else ""))
    event.add("transp", "TRANSPARENT")
    event.add("status", _EVENT_STATUS.get(VisitStatus(visit.status), "CONFIRMED"))
    if url:
        event.add("url", url)
    return event


def step_event(visit: Visit, step: VisitStep, url: str = "") -> Event:
    assert step.due_at is not None  # noqa: S101 - only steps with a due time reach here
    event = Event()
    _stamp(event, uid=f"step-{step.pk}", modified=step.updated)
    event.add(
        "summary",
        _("To do: %(step)s (%(customer)s)")
        % {"step": step.playbook_step.localized_name, "customer": visit.customer.name},
    )
    due = _local(step.due_at)
    event.add("dtstart", due)
    event.add("dtend", due + timedelta(minutes=STEP_EVENT_MINUTES))
    event.add("description", visit_summary(visit) + (f"\n{url}" if url else ""))
    event.add("transp", "TRANSPARENT")
    if url:
        event.add("url", url)
    return event


def feed_path(token: str) -> str:
    return reverse("visits:calendar_feed", args=[token])


def visit_ics(visit: Visit, *, absolute_url: UrlBuilder) -> bytes:
    """One visit with its travel legs, for "add to my calendar"."""
    url = absolute_url(reverse("visits:detail", args=[visit.pk]))
    visitors = list(visit.visitors.all())
    legs = list(visit.legs.all())
    cal = _new_calendar(visit_summary(visit))
    cal.add_component(visit_event(visit, visitors, legs, url))
    for leg in legs:
        cal.add_component(leg_event(visit, leg, url))
    return _finish(cal)


@dataclass(frozen=True)
class FeedWindow:
    start: datetime
    end: datetime

    @classmethod
    def around(cls, now: datetime) -> "FeedWindow":
        return cls(now - timedelta(days=FEED_DAYS_BACK), now + timedelta(days=FEED_DAYS_AHEAD))


def feed_visits(user: User, window: FeedWindow) -> QuerySet[Visit]:
    """The visits in a person's feed, with everything the events show, in five queries."""
    # Steps: only the ones this person does (the owner is the host unless the playbook
    # says otherwise), so a busy host's feed stays readable and quick to build.
    steps = (
        VisitStep.objects.filter(state=StepState.PENDING, due_at__isnull=False, owner=user)
        .select_related("playbook_step")
        .order_by("due_at", "id")
    )
    return (
        visit_base_qs_for_user(user)
        .filter(
            starts_at__lt=window.end,
            starts_at__gte=window.start - timedelta(days=VISIT_MAX_DAYS),
            ends_at__gte=window.start,
        )
        .exclude(status=VisitStatus.CANCELLED)
        .select_related("customer", "host")
        .prefetch_related(
            "visitors",
            Prefetch("legs", queryset=TravelLeg.objects.order_by("arrives_at", "id")),
            Prefetch("steps", queryset=steps, to_attr="feed_steps"),
        )
        .order_by("starts_at", "id")
    )


def feed_ics(user: User, *, absolute_url: UrlBuilder, now: datetime | None = None) -> bytes:
    """A person's subscribed calendar, in their own language."""
    window = FeedWindow.around(now or timezone.now())
    with translation.override(user.language or settings.LANGUAGE_CODE):
        cal = _new_calendar(_("VisitFlow · %(name)s") % {"name": user})
        # Clients poll at their own pace; this asks for hourly where they listen.
        cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", "PT1H")
        for visit in feed_visits(user, window)[:FEED_MAX_VISITS]:
            url = absolute_url(reverse("visits:detail", args=[visit.pk]))
            visitors = list(visit.visitors.all())
            legs = list(visit.legs.all())
            cal.add_component(visit_event(visit, visitors, legs, url))
            for leg in legs:
                cal.add_component(leg_event(visit, leg, url))
            for step in visit.feed_steps:  # type: ignore[attr-defined]
                cal.add_component(step_event(visit, step, url))
        return _finish(cal)
