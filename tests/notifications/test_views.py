"""The inbox, the badge, the settings page, the team bots and the deliveries page."""

from typing import Any

import pytest
from django.test import Client

from tests.conftest import login
from tests.notifications.conftest import SECRET, BotServer
from visitflow.core.models import ActivityLog
from visitflow.notifications import services
from visitflow.notifications.models import (
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationKind,
    NotificationPreference,
    WebhookEndpoint,
    WebhookKind,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def note(user: Any, title: str = "提醒", link: str = "", **kw: Any) -> Notification:
    n = services.notify(
        recipient=user, kind=NotificationKind.STEP_DUE, title=title, body="正文", link=link, **kw
    )
    assert n is not None
    return n


# --- inbox ----------------------------------------------------------------------------------


def test_inbox_lists_only_my_notifications(org: dict[str, Any]) -> None:
    mine = note(org["east_sales"], "我的提醒")
    note(org["south_sales"], "别人的提醒")

    response = login(org["east_sales"]).get("/notifications/")

    assert response.status_code == 200
    assert [n.pk for n in response.context["page"].object_list] == [mine.pk]
    assert "别人的提醒" not in response.content.decode()


def test_inbox_unread_filter(org: dict[str, Any]) -> None:
    read = note(org["east_sales"], "已读")
    services.notification_mark_read(notification=read)
    unread = note(org["east_sales"], "未读")

    response = login(org["east_sales"]).get("/notifications/?unread=1")

    assert [n.pk for n in response.context["page"].object_list] == [unread.pk]


def test_inbox_requires_login(client: Client) -> None:
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_inbox_query_count_does_not_grow(
    org: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    user = org["east_sales"]
    client = login(user)
    for i in range(3):
        note(user, f"n{i}")
    # session, user, count, unread count, page; the navbar's team (every page has it)
    with django_assert_max_num_queries(6):
        client.get("/notifications/")
    for i in range(40):
        note(user, f"m{i}")
    with django_assert_max_num_queries(6):
        response = client.get("/notifications/?page=2")
    assert len(response.context["page"].object_list) == 20


def test_badge_partial_counts_unread(org: dict[str, Any], settings: Any) -> None:
    settings.NOTIFICATION_POLL_SECONDS = 7
    user = org["east_sales"]
    client = login(user)

    empty = client.get("/notifications/badge/", **HTMX).content.decode()
    note(user)
    note(user)
    two = client.get("/notifications/badge/", **HTMX).content.decode()

    assert 'data-testid="inbox-badge"' not in empty
    assert 'data-testid="inbox-badge">2<' in two
    assert 'hx-trigger="every 7s' in two
    assert two.lstrip().startswith("<li") or "<li" in two.split("\n")[0]


def test_badge_stops_polling_when_logged_out(client: Client) -> None:
    response = client.get("/notifications/badge/", **HTMX)
    assert response.status_code == 286 and response.content == b""


def test_badge_query_count(org: dict[str, Any], django_assert_max_num_queries: Any) -> None:
    client = login(org["east_sales"])
    for _ in range(5):
        note(org["east_sales"])
    with django_assert_max_num_queries(3):  # session, user, count
        client.get("/notifications/badge/", **HTMX)


def test_opening_marks_read_and_follows_the_link(org: dict[str, Any]) -> None:
    n = note(org["east_sales"], link="/visits/")

    response = login(org["east_sales"]).get(f"/notifications/{n.pk}/")

    assert response.status_code == 302 and response["Location"] == "/visits/"
    n.refresh_from_db()
    assert n.is_read


@pytest.mark.parametrize("link", ["", "https://evil.example.com/phish", "//evil.example.com/"])
def test_opening_never_leaves_the_site(org: dict[str, Any], link: str) -> None:
    n = note(org["east_sales"], link=link)
    response = login(org["east_sales"]).get(f"/notifications/{n.pk}/")
    assert response["Location"] == "/notifications/"


def test_someone_elses_notification_is_404(org: dict[str, Any]) -> None:
    n = note(org["south_sales"])
    client = login(org["east_sales"])
    for response in (
        client.get(f"/notifications/{n.pk}/"),
        client.post(f"/notifications/{n.pk}/read/"),
        login(org["admin"]).get(f"/notifications/{n.pk}/"),  # not even an administrator's
    ):
        assert response.status_code == 404
    n.refresh_from_db()
    assert not n.is_read


def test_mark_read_htmx_returns_the_row_and_refreshes_the_badge(org: dict[str, Any]) -> None:
    n = note(org["east_sales"], "标题")

    response = login(org["east_sales"]).post(f"/notifications/{n.pk}/read/", **HTMX)

    assert response.status_code == 200
    assert response["HX-Trigger"] == "vf-notifications-changed"
    body = response.content.decode()
    assert f'id="notification-{n.pk}"' in body and "vf-notice-unread" not in body
    assert "<html" not in body


def test_mark_read_requires_post(org: dict[str, Any]) -> None:
    n = note(org["east_sales"])
    assert login(org["east_sales"]).get(f"/notifications/{n.pk}/read/").status_code == 405


def test_mark_all_read(org: dict[str, Any]) -> None:
    note(org["east_sales"])
    note(org["east_sales"])
    other = note(org["south_sales"])

    response = login(org["east_sales"]).post("/notifications/read-all/")

    assert response.status_code == 302
    assert not Notification.objects.filter(
        recipient=org["east_sales"], read_at__isnull=True
    ).exists()
    other.refresh_from_db()
    assert not other.is_read


# --- settings -------------------------------------------------------------------------------


def test_settings_page_shows_defaults(org: dict[str, Any]) -> None:
    response = login(org["east_sales"]).get("/notifications/settings/")
    assert response.status_code == 200
    form = response.context["form"]
    assert form["step_escalated__email"].value() is True
    assert form["step_due__email"].value() is False


def test_saving_preferences(org: dict[str, Any]) -> None:
    user = org["east_sales"]
    data = {"step_due__email": "on", "step_due__team_webhook": "on"}

    response = login(user).post("/notifications/settings/", data)

    assert response.status_code == 302
    pref = NotificationPreference.objects.get(user=user, kind="step_due")
    assert (pref.email, pref.team_webhook, pref.personal_webhook) == (True, True, False)
    # Every kind is on the form, so an unticked box is a "no" (escalation e-mails off now).
    escalated = NotificationPreference.objects.get(user=user, kind="step_escalated")
    assert escalated.email is False
    assert ActivityLog.objects.filter(action="notification_preferences.updated").exists()


def test_personal_bot_bad_url_is_a_form_error(org: dict[str, Any]) -> None:
    response = login(org["east_sales"]).post(
        "/notifications/settings/bot/",
        {"bot-kind": "wecom", "bot-url": "ftp://qyapi.weixin.qq.com/x", "bot-is_active": "on"},
    )
    assert response.status_code == 422
    assert response.context["bot_form"].errors["url"]
    assert not WebhookEndpoint.objects.exists()


def test_personal_bot_on_an_internal_host_is_a_form_error(org: dict[str, Any]) -> None:
    response = login(org["east_sales"]).post(
        "/notifications/settings/bot/",
        {"bot-kind": "wecom", "bot-url": "http://10.0.0.5:8080/admin", "bot-is_active": "on"},
    )
    assert response.status_code == 422
    assert "允许的域名" in response.context["bot_form"].errors["url"][0]
    assert not WebhookEndpoint.objects.exists()


def test_dingtalk_without_secret_is_a_form_error(org: dict[str, Any]) -> None:
    response = login(org["east_sales"]).post(
        "/notifications/settings/bot/",
        {"bot-kind": "dingtalk", "bot-url": "https://oapi.dingtalk.com/robot/send?access_token=x"},
    )
    assert response.status_code == 422
    assert "secret" in response.context["bot_form"].errors


def test_personal_bot_save_keep_secret_test_and_delete(
    org: dict[str, Any], bot_server: BotServer
) -> None:
    user = org["east_sales"]
    client = login(user)
    url = bot_server.url("dingtalk", "access_token=t")

    created = client.post(
        "/notifications/settings/bot/",
        {"bot-kind": "dingtalk", "bot-url": url, "bot-secret": SECRET, "bot-is_active": "on"},
    )
    assert created.status_code == 302
    bot = WebhookEndpoint.objects.get(user=user)
    assert bot.secret == SECRET and bot.team is None

    # The stored secret is never shown; an empty field keeps it.
    page = client.get("/notifications/settings/").content.decode()
    assert SECRET not in page
    client.post(
        "/notifications/settings/bot/",
        {"bot-kind": "dingtalk", "bot-url": url, "bot-is_active": "on"},
    )
    bot.refresh_from_db()
    assert bot.secret == SECRET

    tested = client.post(f"/notifications/webhooks/{bot.pk}/test/", **HTMX)
    assert tested.status_code == 200
    assert "alert-success" in tested.content.decode()
    assert bot_server.requests[0].signature_ok is True

    client.post("/notifications/settings/bot/delete/")
    assert not WebhookEndpoint.objects.filter(user=user).exists()


def test_test_button_shows_the_vendors_error(org: dict[str, Any], bot_server: BotServer) -> None:
    user = org["east_sales"]
    bot = WebhookEndpoint.objects.create(
        kind=WebhookKind.WECOM, url=bot_server.url("wecom"), user=user
    )
    bot_server.answer = (200, {"errcode": 93000, "errmsg": "invalid webhook url"})

    response = login(user).post(f"/notifications/webhooks/{bot.pk}/test/", follow=True)

    page = response.content.decode()
    assert "93000" in page and "invalid webhook url" in page
    bot.refresh_from_db()
    assert bot.last_test_ok is False and "93000" in bot.last_test_message


def test_cannot_test_someone_elses_bot(org: dict[str, Any], bot_server: BotServer) -> None:
    bot = WebhookEndpoint.objects.create(
        kind=WebhookKind.WECOM, url=bot_server.url("wecom"), user=org["south_sales"]
    )
    team_bot = WebhookEndpoint.objects.create(
        kind=WebhookKind.WECOM, url=bot_server.url("wecom"), team=org["east"]
    )
    client = login(org["east_sales"])
    assert client.post(f"/notifications/webhooks/{bot.pk}/test/").status_code == 404
    assert client.post(f"/notifications/webhooks/{team_bot.pk}/test/").status_code == 404
    assert bot_server.requests == []


# --- team bots ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["east_sales", "east_manager", "director", "reception", "driver"])
def test_team_bots_are_for_administrators(org: dict[str, Any], role: str) -> None:
    bot = WebhookEndpoint.objects.create(
        kind=WebhookKind.WECOM, url="https://x.example.com/", team=org["east"]
    )
    client = login(org[role])
    assert client.get("/notifications/webhooks/").status_code == 403
    assert client.get("/notifications/webhooks/new/").status_code == 403
    assert client.get(f"/notifications/webhooks/{bot.pk}/edit/").status_code == 403
    assert client.post(f"/notifications/webhooks/{bot.pk}/delete/").status_code == 403
    assert client.get("/notifications/deliveries/").status_code == 403
    assert WebhookEndpoint.objects.filter(pk=bot.pk).exists()


def test_admin_creates_edits_tests_and_removes_a_team_bot(
    org: dict[str, Any], bot_server: BotServer
) -> None:
    client = login(org["admin"])
    url = bot_server.url("feishu")

    bad = client.post(
        "/notifications/webhooks/new/",
        {"team": org["east"].pk, "kind": "feishu", "url": "javascript:alert(1)"},
    )
    assert bad.status_code == 422 and bad.context["form"].errors["url"]

    created = client.post(
        "/notifications/webhooks/new/",
        {"team": org["east"].pk, "kind": "feishu", "url": url, "secret": SECRET, "is_active": "on"},
    )
    assert created.status_code == 302
    bot = WebhookEndpoint.objects.get(team=org["east"])

    listing = client.get("/notifications/webhooks/")
    assert listing.status_code == 200 and org["east"].name in listing.content.decode()

    second = client.post(
        "/notifications/webhooks/new/", {"team": org["east"].pk, "kind": "wecom", "url": url}
    )
    assert second.status_code == 422  # the team already has one (not offered any more)

    edited = client.post(
        f"/notifications/webhooks/{bot.pk}/edit/", {"kind": "feishu", "url": url + "?v=2"}
    )
    assert edited.status_code == 302
    bot.refresh_from_db()
    assert bot.url.endswith("?v=2") and bot.secret == SECRET and bot.is_active is False

    client.post(
        f"/notifications/webhooks/{bot.pk}/edit/", {"kind": "feishu", "url": url, "is_active": "on"}
    )
    tested = client.post(f"/notifications/webhooks/{bot.pk}/test/", follow=True)
    assert tested.status_code == 200
    assert bot_server.requests[-1].signature_ok is True

    assert client.post(f"/notifications/webhooks/{bot.pk}/delete/").status_code == 302
    assert not WebhookEndpoint.objects.exists()
    actions = set(ActivityLog.objects.values_list("action", flat=True))
    assert {"webhook.created", "webhook.updated", "webhook.tested", "webhook.deleted"} <= actions


def test_admin_cannot_edit_a_personal_bot_as_a_team_bot(org: dict[str, Any]) -> None:
    bot = WebhookEndpoint.objects.create(
        kind=WebhookKind.WECOM, url="https://x.example.com/", user=org["east_sales"]
    )
    assert login(org["admin"]).get(f"/notifications/webhooks/{bot.pk}/edit/").status_code == 404


# --- deliveries -----------------------------------------------------------------------------


def make_deliveries(org: dict[str, Any], n: int, status: str = DeliveryStatus.FAILED) -> None:
    for i in range(n):
        note_ = note(org["east_sales"], f"d{i}")
        Delivery.objects.create(
            notification=note_, channel="email", status=status, attempts=5, last_error="550 refused"
        )


def test_deliveries_page_filters_by_status_and_pins_queries(
    org: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    make_deliveries(org, 3, DeliveryStatus.FAILED)
    make_deliveries(org, 2, DeliveryStatus.SENT)
    client = login(org["admin"])

    with django_assert_max_num_queries(4):  # session, user, count, page (joined)
        response = client.get("/notifications/deliveries/?status=failed")
    rows = list(response.context["page"].object_list)
    assert len(rows) == 3 and {d.status for d in rows} == {"failed"}
    assert "550 refused" in response.content.decode()

    make_deliveries(org, 30, DeliveryStatus.FAILED)
    with django_assert_max_num_queries(4):
        response = client.get("/notifications/deliveries/")
    assert response.context["page"].paginator.count == 35

    # An unknown status is ignored, not an error.
    assert client.get("/notifications/deliveries/?status=bogus").status_code == 200


def test_retry_now_from_the_page(
    org: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    org["east_sales"].email = "z@example.com"
    org["east_sales"].save(update_fields=["email"])
    make_deliveries(org, 1)
    delivery = Delivery.objects.get()
    client = login(org["admin"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/notifications/deliveries/{delivery.pk}/retry/",
            {"next": "/notifications/deliveries/?status=failed"},
        )

    assert response.status_code == 302 and response["Location"].endswith("?status=failed")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT

    again = client.post(f"/notifications/deliveries/{delivery.pk}/retry/", follow=True)
    assert "可以重试" in again.content.decode()


def test_retry_is_for_administrators(org: dict[str, Any]) -> None:
    make_deliveries(org, 1)
    delivery = Delivery.objects.get()
    assert (
        login(org["east_sales"]).post(f"/notifications/deliveries/{delivery.pk}/retry/").status_code
        == 403
    )
    assert login(org["admin"]).post("/notifications/deliveries/999999/retry/").status_code == 404
