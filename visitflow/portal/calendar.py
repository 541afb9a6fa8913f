"""The party's .ics: their own journeys, the visit and its schedule, built with the same
iCalendar helpers as the staff's visit file but with nothing internal in it."""

from datetime import timedelta

from django.utils.translation import gettext as _
from icalendar import Event

from visitflow.portal.selectors import GuestItinerary
from visitflow.visits.calendar import (
    LEG_EVENT_MINUTES,
    _finish,
    _local,
    _new_calendar,
    _stamp,
    leg_label,
)


def guest_ics(itinerary: GuestItinerary, *, url: str) -> bytes:
    visit = itinerary.visit
    title = _("Visit to our company")
    cal = _new_calendar(title)
    event = Event()
    _stamp(event, uid=f"guest-visit-{visit.pk}", modified=visit.updated)
    event.add("summary", title)
    event.add("dtstart", _local(visit.starts_at))
    event.add("dtend", _local(visit.ends_at))
    host = itinerary.host
    event.add(
        "description",
        "\n".join(
            line
            for line in (
                _("Your host: %(name)s %(phone)s") % {"name": host.name, "phone": host.phone},
                url,
            )
            if line
        ),
    )
    event.add("url", url)
    cal.add_component(event)
    for leg in itinerary.legs:
        leg_event = Event()
        _stamp(leg_event, uid=f"guest-leg-{leg.pk}", modified=leg.updated)
        arrival = leg.expected_arrival
        start = leg.departs_at or arrival - timedelta(minutes=LEG_EVENT_MINUTES)
        leg_event.add("summary", leg_label(leg))
        leg_event.add("dtstart", _local(start))
        leg_event.add("dtend", _local(max(arrival, start + timedelta(minutes=1))))
        if leg.to_place:
            leg_event.add("location", leg.to_place)
        cal.add_component(leg_event)
    for index, transfer in enumerate(itinerary.transfers):
        pickup = Event()
        _stamp(pickup, uid=f"guest-transfer-{visit.pk}-{index}", modified=visit.updated)
        pickup.add("summary", f"{transfer.kind}: {transfer.escort.name} {transfer.plate}".strip())
        pickup.add("dtstart", _local(transfer.when))
        pickup.add("dtend", _local(transfer.when + timedelta(minutes=LEG_EVENT_MINUTES)))
        place = transfer.meeting_point or transfer.place
        if place:
            pickup.add("location", place)
        pickup.add("description", f"{transfer.escort.name} {transfer.escort.phone}".strip())
        cal.add_component(pickup)
    for index, item in enumerate(itinerary.schedule):
        entry = Event()
        _stamp(entry, uid=f"guest-schedule-{visit.pk}-{index}", modified=visit.updated)
        entry.add("summary", item.title)
        entry.add("dtstart", _local(item.starts_at))
        entry.add("dtend", _local(item.ends_at or item.starts_at + timedelta(hours=1)))
        if item.place:
            entry.add("location", item.place)
        cal.add_component(entry)
    return _finish(cal)
