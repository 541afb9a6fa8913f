from datetime import date, time
from typing import Any

import pytest

from tests.conftest import login
from tests.factories.tradeshows import make_post, make_shift, make_show
from visitflow.accounts.models import Absence
from visitflow.core.exceptions import ApplicationError
from visitflow.core.models import ActivityLog
from visitflow.tradeshows.models import StaffShift, TradeShow
from visitflow.tradeshows.services.shows import staff_post_create, tradeshow_update

pytestmark = pytest.mark.django_db


def test_a_person_cannot_be_on_two_posts_at_once(org: dict[str, Any]) -> None:
    person = org["east_sales"]
    show = make_show(actor=org["east_manager"], team=[person])
    desk = make_post(show, "接待台")
    area = make_post(show, "产品区A")
    make_shift(desk, person, starts_at=time(9), ends_at=time(12))
    with pytest.raises(ApplicationError) as exc:
        make_shift(area, person, starts_at=time(11), ends_at=time(14))
    assert "接待台" in exc.value.message
    assert "starts_at" in exc.value.field_errors
    # Back to back is fine.
    make_shift(area, person, starts_at=time(12), ends_at=time(14))
    assert StaffShift.objects.filter(person=person).count() == 2


def test_a_person_on_another_show_at_the_same_time_is_refused(org: dict[str, Any]) -> None:
    person = org["east_sales"]
    first = make_show(actor=org["east_manager"], team=[person])
    second = make_show(actor=org["east_manager"], team=[person], name="广交会")
    make_shift(make_post(first), person)
    with pytest.raises(ApplicationError):
        make_shift(make_post(second), person)


def test_a_person_away_cannot_be_put_on_a_post(org: dict[str, Any]) -> None:
    person = org["east_sales2"]
    show = make_show(actor=org["east_manager"], team=[person])
    Absence.objects.create(
        person=person,
        kind="leave",
        starts_on=date(2026, 12, 10),
        ends_on=date(2026, 12, 10),
        created_by=person,
    )
    post = make_post(show)
    with pytest.raises(ApplicationError) as exc:
        make_shift(post, person, day=date(2026, 12, 10))
    assert "person" in exc.value.field_errors
    assert "2026-12-10" in exc.value.message
    make_shift(post, person, day=date(2026, 12, 11))


def test_a_shift_is_on_a_show_day_for_a_team_member_and_ends_after_it_starts(
    org: dict[str, Any],
) -> None:
    show = make_show(actor=org["east_manager"], team=[org["east_sales"]])
    post = make_post(show)
    with pytest.raises(ApplicationError) as exc:
        make_shift(post, org["east_sales"], day=date(2026, 12, 12))
    assert "day" in exc.value.field_errors
    with pytest.raises(ApplicationError) as exc:
        make_shift(post, org["south_sales"])
    assert "person" in exc.value.field_errors
    with pytest.raises(ApplicationError) as exc:
        make_shift(post, org["east_sales"], starts_at=time(12), ends_at=time(9))
    assert "ends_at" in exc.value.field_errors


def test_show_dates_and_team_keep_existing_shifts(org: dict[str, Any]) -> None:
    person = org["east_sales"]
    show = make_show(actor=org["east_manager"], team=[person])
    make_shift(make_post(show), person, day=date(2026, 12, 11))
    with pytest.raises(ApplicationError) as exc:
        tradeshow_update(actor=org["east_manager"], show=show, data={"ends_on": date(2026, 12, 10)})
    assert "starts_on" in exc.value.field_errors
    show.refresh_from_db()
    with pytest.raises(ApplicationError) as exc:
        tradeshow_update(actor=org["east_manager"], show=show, data={}, team=[])
    assert "team" in exc.value.field_errors


def test_post_names_are_unique_per_show(org: dict[str, Any]) -> None:
    show = make_show(actor=org["east_manager"])
    make_post(show, "接待台")
    with pytest.raises(ApplicationError):
        staff_post_create(actor=org["east_manager"], show=show, name=" 接待台 ")


def test_manager_creates_a_show_through_the_page(org: dict[str, Any]) -> None:
    client = login(org["east_manager"])
    data = {
        "name": "2026广交会",
        "venue": "琶洲展馆",
        "city": "广州",
        "starts_on": "2026-10-15",
        "ends_on": "2026-10-19",
        "booth_number": "11.2 F05",
        "team": [org["east_sales"].pk],
    }
    response = client.post("/tradeshows/new/", data)
    assert response.status_code == 302
    show = TradeShow.objects.get(name="2026广交会")
    assert list(show.team.all()) == [org["east_sales"]]
    assert show.organizer == org["east_manager"]
    assert ActivityLog.objects.filter(action="tradeshow.created", object_id=str(show.pk)).exists()
    page = client.get(f"/tradeshows/{show.pk}/")
    assert "琶洲展馆" in page.content.decode()


def test_bad_show_input_keeps_what_was_typed(org: dict[str, Any]) -> None:
    client = login(org["east_manager"])
    response = client.post(
        "/tradeshows/new/",
        {
            "name": "五金展",
            "venue": "国展",
            "city": "上海",
            "starts_on": "2026-12-10",
            "ends_on": "2026-12-09",
            "booth_number": "A1",
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "The last day cannot be before the first day." in body
    assert "五金展" in body
    assert not TradeShow.objects.exists()


def test_staffing_through_the_page_shows_conflicts_on_the_form(org: dict[str, Any]) -> None:
    person = org["east_sales"]
    show = make_show(actor=org["east_manager"], team=[person])
    client = login(org["east_manager"])
    assert client.post(f"/tradeshows/{show.pk}/posts/", {"name": "接待台"}).status_code == 302
    post = show.posts.get()
    shift = {
        "post": post.pk,
        "person": person.pk,
        "day": "2026-12-09",
        "starts_at": "09:00",
        "ends_at": "12:00",
    }
    assert client.post(f"/tradeshows/{show.pk}/shifts/", shift).status_code == 302
    again = client.post(f"/tradeshows/{show.pk}/shifts/", {**shift, "starts_at": "10:00"})
    assert again.status_code == 422
    assert "already on" in again.content.decode()
    assert StaffShift.objects.count() == 1


@pytest.mark.parametrize("role", ["east_sales", "reception", "director"])
def test_who_may_not_create_or_staff_a_show(org: dict[str, Any], role: str) -> None:
    show = make_show(actor=org["east_manager"], team=[org["east_sales"]])
    client = login(org[role])
    assert client.get("/tradeshows/new/").status_code == 403
    assert client.get(f"/tradeshows/{show.pk}/edit/").status_code == 403
    assert client.post(f"/tradeshows/{show.pk}/posts/", {"name": "X"}).status_code == 403
    assert client.get(f"/tradeshows/{show.pk}/").status_code == 200


def test_a_driver_sees_no_trade_show(org: dict[str, Any]) -> None:
    show = make_show(actor=org["east_manager"])
    client = login(org["driver"])
    assert client.get("/tradeshows/").status_code == 403
    assert client.get(f"/tradeshows/{show.pk}/").status_code == 404


def test_a_shift_of_another_show_is_not_found(org: dict[str, Any]) -> None:
    person = org["east_sales"]
    first = make_show(actor=org["east_manager"], team=[person])
    other = make_show(actor=org["east_manager"], team=[person], name="广交会")
    shift = make_shift(make_post(other), person)
    client = login(org["east_manager"])
    response = client.post(f"/tradeshows/{first.pk}/shifts/{shift.pk}/delete/")
    assert response.status_code == 404
    assert StaffShift.objects.filter(pk=shift.pk).exists()


def test_show_list_and_detail_query_counts(
    org: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    people = [org["east_sales"], org["east_sales2"]]
    for n in range(5):
        day = date(2027, 1, 1 + n)
        show = make_show(
            actor=org["east_manager"], team=people, name=f"展会{n}", starts_on=day, ends_on=day
        )
        for name in ("接待台", "产品区A"):
            post = make_post(show, name)
            make_shift(post, people[0 if name == "接待台" else 1], day=day)
    client = login(org["east_manager"])
    with django_assert_max_num_queries(12):
        assert client.get("/tradeshows/?all=1").status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(f"/tradeshows/{show.pk}/").status_code == 200
