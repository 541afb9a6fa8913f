from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from icalendar import Calendar, Event

from tests.conftest import login
from tests.factories.customers import CustomerFactory
from tests.factories.visits import make_ready_visit, make_visit
from visitflow.accounts.feeds import (
    calendar_feed_token_active,
    calendar_feed_token_create,
    calendar_feed_token_revoke,
)
from visitflow.accounts.models import CalendarFeedToken
from visitflow.visits import services, views_documents
from visitflow.visits.calendar import feed_ics

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def parse(content: bytes) -> Calendar:
    return Calendar.from_ical(content)


def events(cal: Calendar) -> dict[str, Event]:
    return {str(e["UID"]): e for e in cal.walk("VEVENT") if isinstance(e, Event)}


def soon(days: int, hour: int = 10) -> datetime:
    """A time `days` from today at `hour` Shanghai time (the feed's window moves with now)."""
    today = timezone.localdate()
    return datetime(today.year, today.month, today.day, hour, tzinfo=SHANGHAI) + timedelta(
        days=days
    )


def feed_url(token: CalendarFeedToken) -> str:
    return f"/visits/calendar/{token.token}.ics"


# --- one visit's .ics ------------------------------------------------------------------


def test_visit_ics_has_the_visit_and_its_legs_in_shanghai_time(org):
    host = org["east_sales"]
    visit = make_ready_visit(actor=host)  # 2026-12-10 10:00 Shanghai, two days
    response = login(host).get(f"/visits/{visit.pk}/visit.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]

    cal = parse(response.content)
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    found = events(cal)
    legs = list(visit.legs.order_by("arrives_at"))
    assert set(found) == {
        f"visit-{visit.pk}@visitflow",
        f"leg-{legs[0].pk}@visitflow",
        f"leg-{legs[1].pk}@visitflow",
    }
    event = found[f"visit-{visit.pk}@visitflow"]
    start = event.decoded("DTSTART")
    assert start.tzinfo is not None
    assert str(event["DTSTART"].params["TZID"]) == "Asia/Shanghai"
    assert (start.hour, start.minute) == (10, 0)
    assert start.astimezone(UTC) == datetime(2026, 12, 10, 2, 0, tzinfo=UTC)
    assert event.decoded("DTEND") - start == timedelta(days=2)
    assert b"DTSTART;TZID=Asia/Shanghai:20261210T100000" in response.content

    inbound = found[f"leg-{legs[0].pk}@visitflow"]
    assert "CA1831" in str(inbound["SUMMARY"])
    assert inbound.decoded("DTEND").astimezone(UTC) == datetime(2026, 12, 10, 1, 0, tzinfo=UTC)


def test_visit_ics_text_is_in_the_readers_language(org):
    host = org["east_sales"]
    customer = CustomerFactory(owner=host, name="东莞精密模具有限公司")
    visit = make_ready_visit(actor=host, customer=customer)
    event = events(parse(login(host).get(f"/visits/{visit.pk}/visit.ics").content))[
        f"visit-{visit.pk}@visitflow"
    ]
    assert str(event["SUMMARY"]) == "来访：东莞精密模具有限公司"
    description = str(event["DESCRIPTION"])
    for expected in ("王建国", "戴眼镜，灰色西装", "李娜", "短发，红色外套", "CA1831"):
        assert expected in description
    assert f"/visits/{visit.pk}/" in str(event["URL"])

    host.language = "en"
    host.save(update_fields=["language"])
    event = events(parse(login(host).get(f"/visits/{visit.pk}/visit.ics").content))[
        f"visit-{visit.pk}@visitflow"
    ]
    assert str(event["SUMMARY"]) == "Visit: 东莞精密模具有限公司"
    assert "Business talks" in str(event["DESCRIPTION"])


def test_visit_ics_follows_visit_visibility(org):
    visit = make_ready_visit(actor=org["east_sales"])
    url = f"/visits/{visit.pk}/visit.ics"
    assert login(org["east_manager"]).get(url).status_code == 200
    assert login(org["south_sales"]).get(url).status_code == 404
    assert login(org["driver"]).get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_uids_stay_the_same_across_downloads(org):
    host = org["east_sales"]
    visit = make_ready_visit(actor=host)
    first = set(events(parse(login(host).get(f"/visits/{visit.pk}/visit.ics").content)))
    second = set(events(parse(login(host).get(f"/visits/{visit.pk}/visit.ics").content)))
    assert first == second


# --- the personal feed -------------------------------------------------------------------


def test_feed_token_is_long_random_and_one_active_per_user(org):
    user = org["east_sales"]
    first = calendar_feed_token_create(user=user)
    second = calendar_feed_token_create(user=user)
    assert len(first.token) >= 40
    assert first.token != second.token
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert calendar_feed_token_active(user) == second


def test_feed_lists_visible_visits_in_the_window_with_legs_and_pending_steps(org):
    host = org["east_sales"]
    upcoming = make_ready_visit(actor=host, starts_at=soon(5))
    recent = make_visit(actor=host, starts_at=soon(-10))
    too_old = make_visit(actor=host, starts_at=soon(-20))
    too_far = make_visit(actor=host, starts_at=soon(100))
    cancelled = make_visit(actor=host, starts_at=soon(3))
    services.visit_cancel(actor=host, visit=cancelled, reason="客户行程有变")
    token = calendar_feed_token_create(user=host)

    response = Client().get(feed_url(token))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    found = events(parse(response.content))
    visit_uids = {uid for uid in found if uid.startswith("visit-")}
    assert visit_uids == {f"visit-{upcoming.pk}@visitflow", f"visit-{recent.pk}@visitflow"}
    assert f"visit-{too_old.pk}@visitflow" not in found
    assert f"visit-{too_far.pk}@visitflow" not in found
    assert f"visit-{cancelled.pk}@visitflow" not in found
    for leg in upcoming.legs.all():
        assert f"leg-{leg.pk}@visitflow" in found

    pending = upcoming.steps.filter(state="pending", due_at__isnull=False)
    assert pending.exists()
    for step in pending:
        event = found[f"step-{step.pk}@visitflow"]
        assert step.due_at is not None
        assert event.decoded("DTSTART").astimezone(UTC) == step.due_at.astimezone(UTC)
    briefing = upcoming.steps.get(playbook_step__code="briefing")
    services.step_complete(actor=host, step=briefing)
    cache.clear()  # the feed is cached for a few minutes; clients poll hourly
    found = events(parse(Client().get(feed_url(token)).content))
    assert f"step-{briefing.pk}@visitflow" not in found


def test_feed_is_in_the_owners_language(org):
    host = org["east_sales"]
    host.language = "en"
    host.save(update_fields=["language"])
    customer = CustomerFactory(owner=host, name="佛山照明器材有限公司")
    visit = make_visit(actor=host, customer=customer, starts_at=soon(4))
    token = calendar_feed_token_create(user=host)
    found = events(parse(Client().get(feed_url(token)).content))
    assert str(found[f"visit-{visit.pk}@visitflow"]["SUMMARY"]) == "Visit: 佛山照明器材有限公司"


def test_feed_of_another_user_does_not_leak_what_they_cannot_see(org):
    east_visit = make_visit(actor=org["east_sales"], starts_at=soon(6))
    south_visit = make_visit(actor=org["south_sales"], starts_at=soon(6))
    south_token = calendar_feed_token_create(user=org["south_sales"])
    content = Client().get(feed_url(south_token)).content
    found = events(parse(content))
    assert f"visit-{south_visit.pk}@visitflow" in found
    assert f"visit-{east_visit.pk}@visitflow" not in found
    assert east_visit.customer.name.encode() not in content

    # A manager sees the team's visits, nobody else's.
    manager_token = calendar_feed_token_create(user=org["east_manager"])
    found = events(parse(Client().get(feed_url(manager_token)).content))
    assert f"visit-{east_visit.pk}@visitflow" in found
    assert f"visit-{south_visit.pk}@visitflow" not in found


def test_revoked_rotated_and_unknown_tokens_are_404(org):
    user = org["east_sales"]
    make_visit(actor=user, starts_at=soon(2))
    old = calendar_feed_token_create(user=user)
    assert Client().get(feed_url(old)).status_code == 200

    new = calendar_feed_token_create(user=user)
    assert Client().get(feed_url(old)).status_code == 404
    assert Client().get(feed_url(new)).status_code == 200

    assert calendar_feed_token_revoke(user=user) == 1
    assert Client().get(feed_url(new)).status_code == 404
    assert Client().get("/visits/calendar/not-a-real-token.ics").status_code == 404


def test_feed_of_a_deactivated_user_is_404(org):
    user = org["east_sales"]
    token = calendar_feed_token_create(user=user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert Client().get(feed_url(token)).status_code == 404


def test_feed_query_count_does_not_grow_with_visits(org):
    host = org["east_sales"]
    token = calendar_feed_token_create(user=host)
    make_ready_visit(actor=host, starts_at=soon(3))

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert Client().get(feed_url(token)).status_code == 200
        return len(ctx.captured_queries)

    one = count()
    for days in range(4, 14):
        make_ready_visit(actor=host, starts_at=soon(days))
    assert count() == one
    assert one <= 10


def test_feed_is_rate_limited_per_address(org, monkeypatch):
    monkeypatch.setattr(views_documents, "FEED_RATE_LIMIT", 3)
    token = calendar_feed_token_create(user=org["east_sales"])
    statuses = [Client().get(feed_url(token)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_feed_builder_window_is_relative_to_now(org):
    host = org["east_sales"]
    visit = make_visit(actor=host)  # 2026-12-10
    inside = feed_ics(host, absolute_url=lambda p: p, now=datetime(2026, 12, 1, tzinfo=SHANGHAI))
    outside = feed_ics(host, absolute_url=lambda p: p, now=datetime(2027, 2, 1, tzinfo=SHANGHAI))
    assert f"visit-{visit.pk}@visitflow" in events(parse(inside))
    assert f"visit-{visit.pk}@visitflow" not in events(parse(outside))


# --- the profile panel -------------------------------------------------------------------


def test_profile_panel_creates_rotates_and_revokes(org):
    user = org["east_sales"]
    client = login(user)
    panel = client.get("/visits/calendar/feed/")
    assert panel.status_code == 200
    assert b'data-testid="calendar-feed"' in panel.content
    assert b'action="/visits/calendar/feed/new/"' in panel.content
    assert b".ics" not in panel.content  # no address until one is made

    created = client.post("/visits/calendar/feed/new/", HTTP_HX_REQUEST="true")
    assert created.status_code == 200
    token = calendar_feed_token_active(user)
    assert token is not None
    assert f"http://testserver/visits/calendar/{token.token}.ics".encode() in created.content

    client.post("/visits/calendar/feed/new/", HTTP_HX_REQUEST="true")
    rotated = calendar_feed_token_active(user)
    assert rotated is not None and rotated.token != token.token

    response = client.post("/visits/calendar/feed/revoke/")
    assert response.status_code == 302
    assert calendar_feed_token_active(user) is None


def test_profile_panel_needs_login_and_post(org):
    assert Client().get("/visits/calendar/feed/").status_code == 302
    assert Client().post("/visits/calendar/feed/new/").status_code == 302
    assert login(org["east_sales"]).get("/visits/calendar/feed/new/").status_code == 405


def test_feed_is_cached_but_a_revoked_token_still_stops_it(org):
    from visitflow.accounts.feeds import calendar_feed_token_revoke

    host = org["east_sales"]
    make_visit(actor=host, starts_at=soon(3))
    token = calendar_feed_token_create(user=host)
    first = Client().get(feed_url(token))
    make_visit(actor=host, starts_at=soon(4))
    assert Client().get(feed_url(token)).content == first.content
    calendar_feed_token_revoke(user=host)
    assert Client().get(feed_url(token)).status_code == 404
