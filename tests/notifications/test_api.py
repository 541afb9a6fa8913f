"""/api/notifications: the caller's inbox and preferences; team bots for administrators."""

from typing import Any

import pytest
from django.test import Client

from tests.api.conftest import locs, patch, post, token_client
from tests.conftest import login
from tests.notifications.conftest import SECRET, BotServer
from visitflow.notifications import services
from visitflow.notifications.models import (
    Notification,
    NotificationKind,
    WebhookEndpoint,
    WebhookKind,
)

pytestmark = pytest.mark.django_db


def note(user: Any, title: str = "提醒") -> Notification:
    n = services.notify(
        recipient=user, kind=NotificationKind.STEP_DUE, title=title, body="b", link="/visits/"
    )
    assert n is not None
    return n


def put(client: Client, url: str, data: Any) -> Any:
    return client.put(url, data, content_type="application/json")


# --- inbox ----------------------------------------------------------------------------------


def test_list_is_mine_newest_first_with_unread_filter(org: dict[str, Any]) -> None:
    user = org["east_sales"]
    old = note(user, "old")
    new = note(user, "new")
    note(org["south_sales"], "not mine")
    services.notification_mark_read(notification=old)
    client = token_client(user)

    everything = client.get("/api/notifications").json()
    unread = client.get("/api/notifications?unread=true").json()

    assert everything["count"] == 2
    assert [i["title"] for i in everything["items"]] == ["new", "old"]
    assert everything["items"][1]["is_read"] is True
    assert unread["count"] == 1 and unread["items"][0]["id"] == new.pk
    assert set(unread["items"][0]) == {
        "id",
        "kind",
        "title",
        "body",
        "link",
        "created",
        "read_at",
        "is_read",
    }


def test_list_query_count(org: dict[str, Any], django_assert_max_num_queries: Any) -> None:
    user = org["east_sales"]
    for i in range(30):
        note(user, f"n{i}")
    client = login(user)
    with django_assert_max_num_queries(4):  # session, user, count, page
        response = client.get("/api/notifications?page_size=50")
    assert len(response.json()["items"]) == 30


@pytest.mark.parametrize(
    "query", ["unread=maybe", "page=0", "page_size=1000", "limit=5&page=2", "offset=-1"]
)
def test_list_bad_input(org: dict[str, Any], query: str) -> None:
    response = login(org["east_sales"]).get(f"/api/notifications?{query}")
    assert response.status_code == 422


def test_read_one(org: dict[str, Any]) -> None:
    n = note(org["east_sales"])
    response = post(login(org["east_sales"]), f"/api/notifications/{n.pk}/read")
    assert response.status_code == 200
    assert response.json()["is_read"] is True
    n.refresh_from_db()
    assert n.read_at is not None


@pytest.mark.parametrize("who", ["east_sales2", "east_manager", "admin"])
def test_someone_elses_notification_is_404(org: dict[str, Any], who: str) -> None:
    n = note(org["east_sales"])
    response = post(login(org[who]), f"/api/notifications/{n.pk}/read")
    assert response.status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


@pytest.mark.parametrize("bad_id", ["0", "-3", "abc", str(2**63)])
def test_read_bad_id(org: dict[str, Any], bad_id: str) -> None:
    response = post(login(org["east_sales"]), f"/api/notifications/{bad_id}/read")
    assert response.status_code in (404, 422)


def test_read_all(org: dict[str, Any]) -> None:
    note(org["east_sales"])
    note(org["east_sales"])
    theirs = note(org["south_sales"])
    response = post(login(org["east_sales"]), "/api/notifications/read-all")
    assert response.json() == {"marked_read": 2}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_anonymous_gets_401(client: Client) -> None:
    assert client.get("/api/notifications").status_code == 401
    assert client.get("/api/notifications/preferences").status_code == 401


def test_session_post_needs_csrf(org: dict[str, Any]) -> None:
    n = note(org["east_sales"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(org["east_sales"])
    assert post(client, f"/api/notifications/{n.pk}/read").status_code == 403


# --- preferences ----------------------------------------------------------------------------


def test_preferences_get_and_put(org: dict[str, Any]) -> None:
    client = token_client(org["east_sales"])

    before = {p["kind"]: p for p in client.get("/api/notifications/preferences").json()}
    assert set(before) == set(NotificationKind.values)
    assert before["step_escalated"]["email"] is True and before["step_due"]["email"] is False

    response = put(
        client,
        "/api/notifications/preferences",
        {
            "preferences": [
                {"kind": "step_due", "email": True, "team_webhook": True, "personal_webhook": False}
            ]
        },
    )
    assert response.status_code == 200
    after = {p["kind"]: p for p in response.json()}
    assert (after["step_due"]["email"], after["step_due"]["team_webhook"]) == (True, True)
    assert after["step_escalated"] == before["step_escalated"]  # untouched


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        (
            {
                "preferences": [
                    {
                        "kind": "nope",
                        "email": True,
                        "team_webhook": False,
                        "personal_webhook": False,
                    }
                ]
            },
            "preferences",
        ),
        (
            {
                "preferences": [
                    {
                        "kind": "step_due",
                        "email": "sometimes",
                        "team_webhook": False,
                        "personal_webhook": False,
                    }
                ]
            },
            "preferences",
        ),
        ({"preferences": [{"kind": "step_due", "email": True}]}, "preferences"),
        (
            {
                "preferences": [
                    {
                        "kind": "step_due",
                        "email": True,
                        "team_webhook": True,
                        "personal_webhook": True,
                    }
                ]
                * 2
            },
            "preferences",
        ),
        ({}, "preferences"),
        ([], None),
    ],
)
def test_preferences_bad_input(org: dict[str, Any], body: Any, loc: str | None) -> None:
    response = put(login(org["east_sales"]), "/api/notifications/preferences", body)
    assert response.status_code == 422
    if loc:
        assert any(loc in path for path in locs(response))


# --- team bots ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["east_sales", "east_manager", "director", "reception", "driver", "finance"]
)
def test_team_bots_are_403_for_others(org: dict[str, Any], role: str) -> None:
    bot = WebhookEndpoint.objects.create(
        kind=WebhookKind.WECOM, url="https://x.example.com/", team=org["east"]
    )
    client = login(org[role])
    assert client.get("/api/notifications/webhooks").status_code == 403
    assert (
        post(
            client,
            "/api/notifications/webhooks",
            {"team": org["east"].pk, "kind": "wecom", "url": "https://a.example.com/"},
        ).status_code
        == 403
    )
    assert client.get(f"/api/notifications/webhooks/{bot.pk}").status_code == 403
    assert (
        patch(client, f"/api/notifications/webhooks/{bot.pk}", {"is_active": False}).status_code
        == 403
    )
    assert client.delete(f"/api/notifications/webhooks/{bot.pk}").status_code == 403
    assert post(client, f"/api/notifications/webhooks/{bot.pk}/test").status_code == 403
    bot.refresh_from_db()
    assert bot.is_active


def test_admin_crud_and_test(org: dict[str, Any], bot_server: BotServer) -> None:
    client = token_client(org["admin"])

    created = post(
        client,
        "/api/notifications/webhooks",
        {
            "team": org["east"].pk,
            "kind": "dingtalk",
            "url": bot_server.url("dingtalk", "access_token=t"),
            "secret": SECRET,
        },
    )
    assert created.status_code == 201
    body = created.json()
    assert body["team"] == org["east"].pk and body["has_secret"] is True and "secret" not in body
    bot_id = body["id"]

    assert [b["id"] for b in client.get("/api/notifications/webhooks").json()] == [bot_id]
    assert client.get(f"/api/notifications/webhooks/{bot_id}").json()["kind"] == "dingtalk"

    tested = post(client, f"/api/notifications/webhooks/{bot_id}/test").json()
    assert tested["ok"] is True
    assert bot_server.requests[0].signature_ok is True

    changed = patch(client, f"/api/notifications/webhooks/{bot_id}", {"secret": "SECwrong"})
    assert changed.status_code == 200
    failed = post(client, f"/api/notifications/webhooks/{bot_id}/test").json()
    assert failed == {"ok": False, "message": failed["message"]}
    assert "310000" in failed["message"] and "sign not match" in failed["message"]
    assert client.get(f"/api/notifications/webhooks/{bot_id}").json()["last_test_ok"] is False

    assert client.delete(f"/api/notifications/webhooks/{bot_id}").status_code == 204
    assert client.get(f"/api/notifications/webhooks/{bot_id}").status_code == 404


def test_personal_bots_are_not_team_bots(org: dict[str, Any]) -> None:
    bot = WebhookEndpoint.objects.create(
        kind=WebhookKind.WECOM, url="https://x.example.com/", user=org["east_sales"]
    )
    client = login(org["admin"])
    assert client.get(f"/api/notifications/webhooks/{bot.pk}").status_code == 404
    assert client.get("/api/notifications/webhooks").json() == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "wecom", "url": "ftp://qyapi.example.com/x"}, "url"),
        ({"kind": "wecom", "url": "not a url"}, "url"),
        ({"kind": "wecom", "url": "javascript:alert(1)"}, "url"),
        ({"kind": "wecom", "url": ""}, "url"),
        ({"kind": "wecom", "url": "https://x.example.com/" + "a" * 600}, "url"),
        ({"kind": "slack", "url": "https://x.example.com/"}, "kind"),
        (
            {"kind": "dingtalk", "url": "https://oapi.dingtalk.com/robot/send?access_token=x"},
            "secret",
        ),
        ({"kind": "wecom", "url": "https://x.example.com/", "secret": "abc"}, "secret"),
        ({"kind": "wecom", "url": "https://x.example.com/\x00"}, "url"),
    ],
)
def test_create_bad_input(org: dict[str, Any], body: dict[str, Any], field: str) -> None:
    response = post(
        login(org["admin"]), "/api/notifications/webhooks", {"team": org["east"].pk, **body}
    )
    assert response.status_code == 422
    assert any(field in path for path in locs(response)), locs(response)
    assert not WebhookEndpoint.objects.exists()


def test_create_for_missing_team_or_twice(org: dict[str, Any]) -> None:
    client = login(org["admin"])
    missing = post(
        client,
        "/api/notifications/webhooks",
        {"team": 999999, "kind": "wecom", "url": "https://x.example.com/"},
    )
    assert missing.status_code == 422 and ["body", "team"] in locs(missing)
    ok = post(
        client,
        "/api/notifications/webhooks",
        {"team": org["east"].pk, "kind": "wecom", "url": "https://x.example.com/"},
    )
    assert ok.status_code == 201
    twice = post(
        client,
        "/api/notifications/webhooks",
        {"team": org["east"].pk, "kind": "wecom", "url": "https://y.example.com/"},
    )
    assert twice.status_code == 422


@pytest.mark.parametrize(
    "body",
    [
        {"url": None},
        {"url": "ftp://x.example.com/"},
        {"kind": "nope"},
        {"is_active": "perhaps"},
        [],
    ],
)
def test_patch_bad_input(org: dict[str, Any], body: Any) -> None:
    bot = WebhookEndpoint.objects.create(
        kind=WebhookKind.WECOM, url="https://x.example.com/", team=org["east"]
    )
    response = patch(login(org["admin"]), f"/api/notifications/webhooks/{bot.pk}", body)
    assert response.status_code == 422
    bot.refresh_from_db()
    assert bot.url == "https://x.example.com/"
