"""The visiting party's self-service link (issue 9): shows only its visit, expires, can
be revoked, is rate limited; the party's changes wait for the host's confirmation."""

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from tests.conftest import login
from tests.factories.customers import CustomerFactory
from tests.factories.spend import make_line
from tests.factories.visits import make_ready_visit, make_visit
from visitflow.core.exceptions import ApplicationError
from visitflow.logistics.models import Station, Vehicle
from visitflow.logistics.services.transfers import transfer_plan
from visitflow.notifications.models import Notification, NotificationKind
from visitflow.portal import services
from visitflow.portal.models import ChangeStatus, PortalChange, PortalLink
from visitflow.spend.models import LineStatus, RoomType, SpendCategory, SpendLine
from visitflow.visits import services as visit_services
from visitflow.visits.models import Visit

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 1, 9, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with freeze_time(NOW) as clock:
        yield clock


def confirmed_visit(host: Any, **extra: Any) -> Visit:
    visit = make_ready_visit(actor=host, **extra)
    return visit_services.visit_confirm(actor=host, visit=visit)


def page_url(token: str) -> str:
    return reverse("portal:page", args=[token])


@pytest.fixture
def visit(org: dict[str, Any]) -> Visit:
    host = org["east_sales"]
    host.mobile = "+8613800138000"
    host.save(update_fields=["mobile"])
    visit = confirmed_visit(host, notes="内部：客户压价很凶，底价 8 折")
    car = Vehicle.objects.create(plate="粤B·12345", model_name="别克GL8", seats=7)
    station = Station.objects.create(
        name="深圳宝安T3", name_en="Shenzhen Bao'an T3", kind="airport", travel_minutes=60
    )
    inbound = visit.legs.get(direction="inbound")
    transfer_plan(
        actor=host,
        visit=visit,
        leg=inbound,
        kind="pickup",
        vehicle=car,
        meeting_point="T3 国内到达 B 出口",
        station=station,
    )
    return visit


@pytest.fixture
def token(org: dict[str, Any], visit: Visit) -> str:
    _link, raw = services.link_issue(actor=org["east_sales"], visit=visit)
    return raw


# --- The link itself -----------------------------------------------------------------------


def test_only_a_hash_and_a_prefix_are_stored(org: dict[str, Any], visit: Visit) -> None:
    link, raw = services.link_issue(actor=org["east_sales"], visit=visit)
    assert len(raw) >= 40
    assert link.token_hash == services.hash_token(raw) != raw
    assert link.token_prefix == raw[:6]
    assert not PortalLink.objects.filter(token_hash=raw).exists()


def test_link_shows_its_visit_and_nothing_internal(
    org: dict[str, Any], visit: Visit, token: str
) -> None:
    other = confirmed_visit(
        org["east_sales"], customer=CustomerFactory(owner=org["east_sales"], name="别家贸易")
    )
    page = Client().get(page_url(token))
    assert page.status_code == 200
    html = page.content.decode()
    assert visit.customer.name in html
    assert "王建国" in html and "CA1831" in html and "G80" in html
    assert "粤B·12345" in html and "T3 国内到达 B 出口" in html
    assert str(org["east_sales"]) in html and "138 0013 8000" in html
    assert "内部" not in html and "底价" not in html  # the visit's internal notes
    assert other.customer.name not in html
    assert f"/visits/{visit.pk}" not in html and f'"{visit.pk}"' not in html
    assert str(org["east_manager"]) not in html
    assert page["X-Robots-Tag"] == "noindex, nofollow"


def test_the_hotel_the_company_booked(org: dict[str, Any], visit: Visit, token: str) -> None:
    """Hotel lines of the visit's spend plan, within the standard or approved, show; one
    refused or still waiting for approval does not."""
    on = visit.starts_at.date()

    def hotel(name: str, amount: str, nights: int, rooms: int, **extra: Any) -> SpendLine:
        return make_line(
            actor=org["east_sales"],
            visit=visit,
            category=SpendCategory.HOTEL_NIGHT,
            amount=amount,
            on=on,
            venue=name,
            nights=nights,
            rooms=rooms,
            guests=0,
            hosts=0,
            over_reason="会展期间房价上涨",
            **extra,
        )

    booked = hotel("深圳华侨城洲际酒店", "900.00", 2, 2, room_type=RoomType.STANDARD)
    refused = hotel("瑞吉酒店", "5000.00", 1, 1)
    SpendLine.objects.filter(pk=booked.pk).update(status=LineStatus.WITHIN)
    SpendLine.objects.filter(pk=refused.pk).update(status=LineStatus.REFUSED)
    english = Client(headers={"Accept-Language": "en"})
    html = english.get(page_url(token)).content.decode()
    assert "深圳华侨城洲际酒店" in html and "瑞吉酒店" not in html
    check_out = on + timedelta(days=2)
    assert f"check in {on:%m-%d}, check out {check_out:%m-%d}" in html
    assert "2 rooms" in html
    SpendLine.objects.filter(pk=booked.pk).update(status=LineStatus.PENDING)
    assert "深圳华侨城洲际酒店" not in english.get(page_url(token)).content.decode()


def test_the_link_counts_opens(org: dict[str, Any], visit: Visit, token: str) -> None:
    Client().get(page_url(token))
    link = PortalLink.objects.get(visit=visit)
    assert link.open_count == 1 and link.last_opened_at is not None


def test_unknown_token_is_404(token: str) -> None:
    assert Client().get(page_url(token[:-1] + "x")).status_code == 404


def test_link_expires_after_the_visit(visit: Visit, token: str, settings: Any) -> None:
    settings.PORTAL_LINK_DAYS_AFTER_VISIT = 2
    with freeze_time(visit.ends_at + timedelta(days=2) - timedelta(minutes=1)):
        assert Client().get(page_url(token)).status_code == 200
    with freeze_time(visit.ends_at + timedelta(days=2, minutes=1)):
        response = Client().get(page_url(token))
        assert response.status_code == 410
        assert "expired" in response.content.decode()
        assert visit.customer.name not in response.content.decode()


def test_revoke_and_regenerate(org: dict[str, Any], visit: Visit, token: str) -> None:
    link = PortalLink.objects.get(visit=visit)
    services.link_revoke(actor=org["east_sales"], link=link)
    response = Client().get(page_url(token))
    assert response.status_code == 410 and visit.customer.name not in response.content.decode()
    _link, new = services.link_issue(actor=org["east_sales"], visit=visit)
    assert Client().get(page_url(new)).status_code == 200
    assert Client().get(page_url(token)).status_code == 404  # the old hash is gone


def test_cancelled_visit_closes_the_link(org: dict[str, Any], visit: Visit, token: str) -> None:
    visit_services.visit_cancel(actor=org["east_sales"], visit=visit, reason="客户改期")
    assert Client().get(page_url(token)).status_code == 410


def test_rate_limited(token: str, settings: Any) -> None:
    settings.PORTAL_RATE_LIMIT = (3, 600)
    client = Client()
    for _n in range(3):
        assert client.get(page_url("wrong-" + token)).status_code == 404
    assert client.get(page_url(token)).status_code == 429


def test_link_only_for_a_confirmed_visit(org: dict[str, Any]) -> None:
    draft = make_visit(actor=org["east_sales"])
    with pytest.raises(ApplicationError, match="confirmed visit"):
        services.link_issue(actor=org["east_sales"], visit=draft)


# --- Language ------------------------------------------------------------------------------


def test_language_from_browser_switch_and_default(token: str) -> None:
    chinese = Client().get(page_url(token))
    assert chinese["Content-Language"] == "zh-hans"
    english = Client(headers={"Accept-Language": "en-GB,en;q=0.9"}).get(page_url(token))
    assert english["Content-Language"] == "en"
    assert "Your host" in english.content.decode()
    client = Client(headers={"Accept-Language": "en-US"})
    switched = client.get(page_url(token) + "?lang=zh-hans")
    assert switched["Content-Language"] == "zh-hans"
    assert client.get(page_url(token))["Content-Language"] == "zh-hans"  # remembered


# --- Who manages it ------------------------------------------------------------------------

# role -> status of "create link" on an east_sales visit (404: cannot see; 403: sees only)
ISSUE_STATUS = {
    "east_sales": 200,
    "east_manager": 200,
    "admin": 200,
    "east_sales2": 404,
    "south_sales": 404,
    "south_manager": 404,
    "director": 403,
    "reception": 403,
    "finance": 403,
}


@pytest.mark.parametrize("role", list(ISSUE_STATUS))
def test_issue_permissions_per_role(org: dict[str, Any], visit: Visit, role: str) -> None:
    response = login(org[role]).post(reverse("portal:link_issue", args=[visit.pk]))
    assert response.status_code == ISSUE_STATUS[role]
    assert PortalLink.objects.filter(visit=visit).exists() is (ISSUE_STATUS[role] == 200)


def test_host_sees_the_new_link_once_with_a_qr(org: dict[str, Any], visit: Visit) -> None:
    client = login(org["east_sales"])
    response = client.post(reverse("portal:link_issue", args=[visit.pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'data-testid="portal-url"' in html and "data:image/svg+xml" in html
    link = PortalLink.objects.get(visit=visit)
    detail = client.get(reverse("visits:detail", args=[visit.pk])).content.decode()
    assert 'data-testid="portal-panel"' in detail and f"{link.token_prefix}…" in detail
    assert 'data-testid="portal-url"' not in detail
    # Others on the visit page do not see the card.
    director = login(org["director"]).get(reverse("visits:detail", args=[visit.pk]))
    assert 'data-testid="portal-panel"' not in director.content.decode()


def test_host_revokes_from_the_page(org: dict[str, Any], visit: Visit, token: str) -> None:
    assert (
        login(org["south_sales"]).post(reverse("portal:link_revoke", args=[visit.pk])).status_code
        == 404
    )
    response = login(org["east_sales"]).post(reverse("portal:link_revoke", args=[visit.pk]))
    assert response.status_code == 302
    assert Client().get(page_url(token)).status_code == 410


# --- The party's changes -------------------------------------------------------------------


def leg_post(prefix: str, **values: str) -> dict[str, str]:
    data = {
        "direction": "inbound",
        "mode": "flight",
        "number": "MU5331",
        "from_place": "上海虹桥",
        "to_place": "深圳宝安",
        "departs_at": "2026-12-10T06:00",
        "arrives_at": "2026-12-10T08:30",
    }
    data.update(values)
    return {f"{prefix}-{k}": v for k, v in data.items()}


def test_party_corrects_a_leg_and_the_host_confirms(
    org: dict[str, Any], visit: Visit, token: str
) -> None:
    client = Client()
    legs = list(visit.legs.order_by("arrives_at", "id"))
    response = client.post(
        reverse("portal:leg_correct", args=[token, 1]), leg_post("leg1", number="mu 5331")
    )
    assert response.status_code == 302
    change = PortalChange.objects.get()
    assert change.status == ChangeStatus.PENDING and change.leg == legs[0]
    assert change.data["number"] == "MU5331"
    legs[0].refresh_from_db()
    assert legs[0].number == "CA1831"  # nothing changes before the host confirms
    note = Notification.objects.get(kind=NotificationKind.PORTAL_CHANGE)
    assert note.recipient == org["east_sales"]
    page = client.get(page_url(token)).content.decode()
    assert 'data-testid="portal-pending"' in page
    # The host confirms on the visit page: the leg changes through the visit services.
    host = login(org["east_sales"])
    assert host.post(reverse("portal:change_confirm", args=[change.pk])).status_code == 302
    legs[0].refresh_from_db()
    assert legs[0].number == "MU5331"
    assert legs[0].arrives_at == datetime(2026, 12, 10, 8, 30, tzinfo=SHANGHAI)
    change.refresh_from_db()
    assert change.status == ChangeStatus.CONFIRMED and change.decided_by == org["east_sales"]
    # The pickup follows the new arrival (pickups re-plan as usual).
    assert visit.transfers.get().leg.arrives_at == legs[0].arrives_at


def test_party_adds_a_person_and_the_host_declines(
    org: dict[str, Any], visit: Visit, token: str
) -> None:
    client = Client()
    response = client.post(
        reverse("portal:visitor_add", args=[token]),
        {
            "newvisitor-name": "赵强",
            "newvisitor-mobile": "139 1234 5678",
            "newvisitor-features": "高个子",
        },
    )
    assert response.status_code == 302
    change = PortalChange.objects.get()
    assert change.data == {"name": "赵强", "mobile": "+8613912345678", "features": "高个子"}
    host = login(org["east_sales"])
    bad = host.post(
        reverse("portal:change_reject", args=[change.pk]), {f"reject{change.pk}-answer": ""}
    )
    assert bad.status_code == 422
    assert "This field is required." in bad.content.decode()
    host.post(
        reverse("portal:change_reject", args=[change.pk]),
        {f"reject{change.pk}-answer": "名额已满，请联系我"},
    )
    change.refresh_from_db()
    assert change.status == ChangeStatus.REJECTED
    assert not visit.visitors.filter(name="赵强").exists()
    assert "名额已满，请联系我" in client.get(page_url(token)).content.decode()


def test_confirming_a_new_person_adds_them(org: dict[str, Any], visit: Visit, token: str) -> None:
    Client().post(reverse("portal:visitor_add", args=[token]), {"newvisitor-name": "钱多多"})
    change = PortalChange.objects.get()
    services.change_confirm(actor=org["east_manager"], change=change)
    assert visit.visitors.filter(name="钱多多").exists()
    with pytest.raises(ApplicationError, match="already been answered"):
        services.change_confirm(actor=org["east_sales"], change=change)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"arrives_at": ""}, "This field is required."),
        ({"arrives_at": "2026-12-10T05:00"}, "The arrival must be after the departure."),
        ({"arrives_at": "tomorrow"}, "Enter a valid date/time."),
        ({"mode": "rocket"}, "Select a valid choice."),
    ],
)
def test_party_bad_leg_input_keeps_what_was_typed(
    token: str, values: dict[str, str], message: str
) -> None:
    client = Client(headers={"Accept-Language": "en"})
    response = client.post(reverse("portal:leg_add", args=[token]), leg_post("newleg", **values))
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert 'value="上海虹桥"' in html and 'value="MU5331"' in html
    assert PortalChange.objects.count() == 0


def test_party_bad_mobile_keeps_what_was_typed(token: str) -> None:
    client = Client(headers={"Accept-Language": "en"})
    response = client.post(
        reverse("portal:visitor_correct", args=[token, 1]),
        {"visitor1-name": "王建国", "visitor1-mobile": "12", "visitor1-features": "蓝色外套"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'value="蓝色外套"' in html and 'value="12"' in html
    assert "is-invalid" in html
    assert PortalChange.objects.count() == 0


def test_party_cannot_reach_other_legs(token: str) -> None:
    response = Client().post(reverse("portal:leg_correct", args=[token, 9]), leg_post("leg9"))
    assert response.status_code == 404
    assert PortalChange.objects.count() == 0


def test_change_of_another_team_is_404(org: dict[str, Any], visit: Visit, token: str) -> None:
    Client().post(reverse("portal:visitor_add", args=[token]), {"newvisitor-name": "孙"})
    change = PortalChange.objects.get()
    assert (
        login(org["south_sales"])
        .post(reverse("portal:change_confirm", args=[change.pk]))
        .status_code
        == 404
    )
    assert (
        login(org["director"]).post(reverse("portal:change_confirm", args=[change.pk])).status_code
        == 403
    )
    change.refresh_from_db()
    assert change.status == ChangeStatus.PENDING


# --- Calendar ------------------------------------------------------------------------------


def test_ics_download_has_the_journeys_and_no_internal_notes(visit: Visit, token: str) -> None:
    response = Client().get(reverse("portal:ics", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "BEGIN:VCALENDAR" in body and "CA1831" in body and "G80" in body
    assert "内部" not in body and "/visits/" not in body


def test_page_query_count_is_fixed(
    org: dict[str, Any], visit: Visit, token: str, django_assert_num_queries: Any
) -> None:
    client = Client()
    with django_assert_num_queries(11):
        assert client.get(page_url(token)).status_code == 200
    # More people, journeys and proposals: the same number of queries.
    for name in ("孙一", "孙二", "孙三"):
        visit_services.visitor_add(actor=org["east_sales"], visit=visit, name=name)
        client.post(reverse("portal:visitor_add", args=[token]), {"newvisitor-name": name + "弟"})
    with django_assert_num_queries(11):
        assert client.get(page_url(token)).status_code == 200


def test_a_new_link_starts_unopened(org: dict[str, Any], visit: Visit, token: str) -> None:
    Client().get(page_url(token))
    link, _raw = services.link_issue(actor=org["east_sales"], visit=visit)
    assert link.open_count == 0 and link.last_opened_at is None


def test_a_correction_keeps_only_what_changed(visit: Visit, token: str) -> None:
    client = Client(headers={"Accept-Language": "en"})
    url = reverse("portal:visitor_correct", args=[token, 1])
    same = {"visitor1-name": "王建国", "visitor1-features": "戴眼镜，灰色西装"}
    response = client.post(url, same)
    assert response.status_code == 422 and "Nothing was changed." in response.content.decode()
    client.post(url, {**same, "visitor1-mobile": "13912345678"})
    assert PortalChange.objects.get().data == {"mobile": "+8613912345678"}


def test_language_follows_the_host_messages_when_the_browser_says_nothing(
    org: dict[str, Any], visit: Visit, token: str
) -> None:
    from visitflow.logistics.models import CustomerMessage

    CustomerMessage.objects.create(
        visit=visit,
        channel="wechat",
        language="en",
        text="Your driver will meet you at T3.",
        sent_at=NOW,
        sent_by=org["east_sales"],
    )
    assert Client().get(page_url(token))["Content-Language"] == "en"
    chinese_phone = Client(headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert chinese_phone.get(page_url(token))["Content-Language"] == "zh-hans"
    closed = Client().get(page_url("nothing-" + token))
    assert closed.status_code == 404 and closed["X-Robots-Tag"] == "noindex, nofollow"
