"""SOP 5.2 through the web: the warning on the visit page and form, the cover actions by
role, the cover-needed list (scoped, paginated, constant queries), brief and apology."""

from datetime import date

import pytest
from django.urls import reverse
from freezegun import freeze_time

from tests.conftest import login
from tests.factories.visits import local, make_visit
from visitflow.accounts.models import AbsenceKind
from visitflow.accounts.services_absences import absence_create
from visitflow.logistics.models import CustomerMessage
from visitflow.visits.models import CoverRequest, CoverState, RescheduleState, VisitReschedule
from visitflow.visits.services_cover import cover_accept, cover_assign, cover_request

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def frozen():
    # The URLconf (and the API's pydantic schemas) are built before the clock is frozen:
    # pydantic cannot build a schema for freezegun's datetime class.
    import config.urls  # noqa: F401

    with freeze_time("2026-12-01 02:00:00"):
        yield


def away(person, start=date(2026, 12, 9), end=date(2026, 12, 12)):
    return absence_create(
        actor=person,
        person=person,
        kind=AbsenceKind.BUSINESS_TRIP,
        destination="上海",
        starts_on=start,
        ends_on=end,
    )


def test_registering_a_visit_during_a_trip_warns_at_once(org):
    host = org["east_sales"]
    away(host)
    client = login(host)
    customer = make_visit(actor=host, starts_at=local(2026, 12, 20, 10)).customer
    response = client.post(
        reverse("visits:create"),
        {
            "customer": customer.pk,
            "importance": "normal",
            "starts_at": "2026-12-10T10:00",
            "ends_at": "2026-12-11T17:00",
        },
        follow=True,
    )
    page = response.content.decode()
    assert 'data-testid="clash-warning"' in page and "上海" in page
    assert 'data-testid="cover-request-form"' in page and 'data-testid="reschedule-form"' in page


def test_the_form_checks_the_dates_as_they_are_typed(org):
    host = org["east_sales"]
    away(host)
    visit = make_visit(actor=host, starts_at=local(2026, 12, 20, 10))
    client = login(host)
    url = reverse("visits:clash_check")
    during = client.get(
        url,
        {
            "customer": visit.customer_id,
            "starts_at": "2026-12-10T10:00",
            "ends_at": "2026-12-11T10:00",
        },
    )
    assert "上海" in during.content.decode()
    after = client.get(
        url, {"visit": visit.pk, "starts_at": "2026-12-13T10:00", "ends_at": "2026-12-14T10:00"}
    )
    assert "上海" not in after.content.decode()
    # Someone else's host is not looked up for a user who cannot choose them.
    other = login(org["south_sales"]).get(
        url, {"host": host.pk, "starts_at": "2026-12-10T10:00", "ends_at": "2026-12-11T10:00"}
    )
    assert "上海" not in other.content.decode()


def test_moving_and_confirming_warn_too(org):
    host = org["east_sales"]
    visit = make_visit(actor=host, starts_at=local(2026, 12, 20, 10))
    away(host)
    client = login(host)
    response = client.post(
        reverse("visits:edit", args=[visit.pk]),
        {"importance": "normal", "starts_at": "2026-12-11T10:00", "ends_at": "2026-12-12T10:00"},
        follow=True,
    )
    assert "上海" in response.content.decode()
    assert [m for m in response.context["messages"] if m.level_tag == "warning"]


def test_cover_flow_through_the_pages(org):
    host, manager, colleague = org["east_sales"], org["east_manager"], org["east_sales2"]
    visit = make_visit(actor=host)
    away(host)
    url = reverse("visits:cover_request", args=[visit.pk])
    assert login(colleague).post(url, {"note": "x"}).status_code == 404
    assert login(host).post(url, {"note": "客户喜欢喝茶"}).status_code == 302
    cover = CoverRequest.objects.get()
    assert cover.supervisor == manager
    # The manager sees the visit in "cover needed", asked for but not covered.
    listing = login(manager).get(reverse("visits:cover_needed")).content.decode()
    assert visit.customer.name in listing
    # A colleague from another team, chosen by the host: refused with the reason.
    response = login(host).post(
        reverse("visits:cover_assign", args=[cover.pk]), {"stand_in": org["south_sales"].pk}
    )
    assert response.status_code == 422
    response = login(manager).post(
        reverse("visits:cover_assign", args=[cover.pk]), {"stand_in": colleague.pk}
    )
    assert response.status_code == 302
    page = login(colleague).get(visit.get_absolute_url()).content.decode()
    assert 'data-testid="cover-accept"' in page
    assert (
        login(org["east_sales"])
        .post(reverse("visits:cover_answer", args=[cover.pk, "accept"]))
        .status_code
        == 403
    )
    assert (
        login(colleague).post(reverse("visits:cover_answer", args=[cover.pk, "accept"])).status_code
        == 302
    )
    cover.refresh_from_db()
    assert cover.state == CoverState.ACCEPTED
    with freeze_time("2026-12-09 02:00:00"):
        day = login(colleague).get(reverse("visits:my_day")).content.decode()
    assert 'data-testid="my-visit-stand-in"' in day and visit.customer.name in day
    assert (
        visit.customer.name
        not in login(manager).get(reverse("visits:cover_needed")).content.decode()
    )
    handover = login(colleague).get(reverse("visits:handover", args=[visit.pk]))
    assert handover.status_code == 200 and "客户喜欢喝茶" in handover.content.decode()
    assert (
        login(org["south_sales"]).get(reverse("visits:handover", args=[visit.pk])).status_code
        == 404
    )


def test_decline_needs_a_reason(org):
    host, colleague = org["east_sales"], org["east_sales2"]
    visit = make_visit(actor=host)
    away(host)
    cover = cover_request(actor=host, visit=visit, stand_in=colleague)
    url = reverse("visits:cover_answer", args=[cover.pk, "decline"])
    assert login(colleague).post(url, {"note": ""}).status_code == 422
    assert login(colleague).post(url, {"note": "在外地"}).status_code == 302
    cover.refresh_from_db()
    assert cover.state == CoverState.REQUESTED


def test_reschedule_through_the_pages(org):
    host = org["east_sales"]
    visit = make_visit(actor=host)
    away(host)
    client = login(host)
    url = reverse("visits:reschedule_propose", args=[visit.pk])
    into_trip = client.post(url, {"starts_at": "2026-12-11T10:00", "ends_at": "2026-12-12T10:00"})
    assert into_trip.status_code == 422 and "上海" in into_trip.content.decode()
    assert (
        client.post(
            url, {"starts_at": "2026-12-17T10:00", "ends_at": "2026-12-18T10:00"}
        ).status_code
        == 302
    )
    proposal = VisitReschedule.objects.get(state=RescheduleState.PROPOSED)
    assert (
        login(org["east_sales2"])
        .post(reverse("visits:reschedule_answer", args=[proposal.pk, "agree"]))
        .status_code
        == 404
    )
    response = client.post(reverse("visits:reschedule_answer", args=[proposal.pk, "agree"]))
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.starts_at == local(2026, 12, 17, 10)
    page = client.get(visit.get_absolute_url()).content.decode()
    assert 'data-testid="apology-link"' in page


def test_apology_page_prefills_and_records(org):
    host, colleague = org["east_sales"], org["east_sales2"]
    visit = make_visit(actor=host)
    away(host)
    cover = cover_request(actor=host, visit=visit, stand_in=colleague)
    cover_accept(actor=colleague, cover=cover)
    url = reverse("visits:apology", args=[visit.pk])
    assert login(org["south_sales"]).get(url).status_code == 404
    page = login(colleague).get(url)
    assert page.status_code == 200 and str(colleague) in page.content.decode()
    english = login(colleague).get(url + "?language=en&kind=cover_stand_in").content.decode()
    assert "business trip" in english
    empty = login(colleague).post(
        url, {"kind": "cover_stand_in", "language": "zh-hans", "channel": "wechat", "text": ""}
    )
    assert empty.status_code == 422
    done = login(colleague).post(
        url, {"kind": "cover_stand_in", "language": "zh-hans", "channel": "wechat", "text": "抱歉"}
    )
    assert done.status_code == 302
    assert CustomerMessage.objects.get().sent_by == colleague


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("east_manager", 200),
        ("admin", 200),
        ("east_sales", 403),
        ("director", 403),
        ("driver", 403),
    ],
)
def test_cover_needed_is_for_managers_and_admins(org, role, status):
    assert login(org[role]).get(reverse("visits:cover_needed")).status_code == status


def test_cover_needed_is_scoped_and_constant_in_queries(org, django_assert_max_num_queries):
    east, south = org["east_sales"], org["south_sales"]
    away(east)
    away(south)
    mine = make_visit(actor=east)
    theirs = make_visit(actor=south)
    covered = make_visit(actor=east, starts_at=local(2026, 12, 11, 9), days=1)
    cover = cover_request(actor=east, visit=covered)
    cover_assign(actor=org["east_manager"], cover=cover, stand_in=org["east_manager"])
    client = login(org["east_manager"])
    with django_assert_max_num_queries(14) as small:
        page = client.get(reverse("visits:cover_needed")).content.decode()
    assert page.count('data-testid="cover-needed-row"') == 1
    assert mine.customer.name in page and theirs.customer.name not in page
    for day in range(9, 13):
        make_visit(actor=east, starts_at=local(2026, 12, day, 14), days=1)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(reverse("visits:cover_needed")).content.decode()
    assert page.count('data-testid="cover-needed-row"') == 5


def test_a_stand_in_who_becomes_away_is_back_on_cover_needed(org):
    from visitflow.notifications.models import Notification

    host, colleague = org["east_sales"], org["east_sales2"]
    visit = make_visit(actor=host)
    away(host)
    cover = cover_request(actor=host, visit=visit, stand_in=colleague)
    cover_accept(actor=colleague, cover=cover)
    client = login(org["east_manager"])
    listing = client.get(reverse("visits:cover_needed")).content.decode()
    assert 'data-testid="cover-needed-row"' not in listing
    absence_create(
        actor=colleague,
        person=colleague,
        kind=AbsenceKind.LEAVE,
        starts_on=date(2026, 12, 11),
        ends_on=date(2026, 12, 11),
    )
    listing = client.get(reverse("visits:cover_needed")).content.decode()
    assert listing.count('data-testid="cover-needed-row"') == 1
    assert "12-11\u201312-11" in listing  # the stand-in's day away is the one shown
    assert Notification.objects.filter(recipient=org["east_manager"], kind="absence_clash").exists()
