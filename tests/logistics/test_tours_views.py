from datetime import timedelta

import pytest
from django.urls import reverse

from tests.conftest import login
from tests.factories.visits import local, make_visit
from visitflow.logistics.models import Booking, BookingStatus, Room, RoomKind
from visitflow.logistics.services.tours import tour_book

pytestmark = pytest.mark.django_db


@pytest.fixture
def rooms(db):
    return {
        "showroom": Room.objects.create(name="展厅", kind=RoomKind.SHOWROOM),
        "office": Room.objects.create(name="财务办公室", kind=RoomKind.OFFICE, tour_allowed=False),
    }


def test_form_offers_no_office(org, rooms):
    visit = make_visit(actor=org["east_sales"])
    body = login(org["east_sales"]).get(reverse("logistics:tour_book", args=[visit.pk]))
    assert "展厅" in body.content.decode() and "财务办公室" not in body.content.decode()


def test_office_posted_anyway_is_refused(org, rooms):
    visit = make_visit(actor=org["east_sales"])
    response = login(org["east_sales"]).post(
        reverse("logistics:tour_book", args=[visit.pk]),
        {
            "room": rooms["office"].pk,
            "starts_at": "2026-12-10T14:00",
            "ends_at": "2026-12-10T15:00",
        },
    )
    assert response.status_code == 422 and not Booking.objects.exists()


def test_book_conflict_shows_the_message_and_cancel(org, rooms):
    start = local(2026, 12, 10, 14)
    other = make_visit(actor=org["south_sales"])
    tour_book(
        actor=org["south_sales"],
        visit=other,
        room=rooms["showroom"],
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )
    visit = make_visit(actor=org["east_sales"])
    client = login(org["east_sales"])
    data = {
        "room": rooms["showroom"].pk,
        "starts_at": "2026-12-10T14:30",
        "ends_at": "2026-12-10T15:30",
    }
    response = client.post(reverse("logistics:tour_book", args=[visit.pk]), data)
    assert response.status_code == 422 and "展厅" in response.content.decode()
    data["starts_at"], data["ends_at"] = "2026-12-10T15:00", "2026-12-10T16:00"
    assert client.post(reverse("logistics:tour_book", args=[visit.pk]), data).status_code == 302
    booking = Booking.objects.get(visit=visit)
    page = client.get(reverse("visits:detail", args=[visit.pk])).content.decode()
    assert reverse("logistics:tour_cancel", args=[booking.pk]) in page
    # Someone who cannot see the visit cannot cancel it.
    cancel = reverse("logistics:tour_cancel", args=[booking.pk])
    assert login(org["south_sales"]).post(cancel).status_code == 404
    assert client.post(cancel).status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_foreign_visit_404(org, rooms):
    visit = make_visit(actor=org["east_sales"])
    assert (
        login(org["south_sales"]).get(reverse("logistics:tour_book", args=[visit.pk])).status_code
        == 404
    )
