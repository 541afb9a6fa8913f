from datetime import timedelta
from typing import Any

from django.conf import settings
from django.middleware.csrf import CSRF_SECRET_LENGTH
from django.test import Client
from django.utils import timezone, translation

from tests.api.conftest import post, token_client
from tests.conftest import login
from visitflow.api.models import ApiToken, hash_token
from visitflow.api.services import MAX_ACTIVE_TOKENS, token_create
from visitflow.core.exceptions import ApplicationError
from visitflow.customers.models import Customer


def test_create_token_returns_raw_value_once_and_stores_only_hash(org: dict[str, Any]) -> None:
    client = login(org["east_sales"])

    response = post(client, "/api/tokens", {"name": "ERP sync"})

    assert response.status_code == 201
    body = response.json()
    raw = body["token"]
    assert raw.startswith("vf_")
    token = ApiToken.objects.get(pk=body["id"])
    assert token.key_hash == hash_token(raw)
    assert raw not in {token.key_hash, token.prefix}
    listed = client.get("/api/tokens").json()
    assert [t["name"] for t in listed] == ["ERP sync"]
    assert "token" not in listed[0]


def test_token_authenticates_and_revoke_makes_it_401(org: dict[str, Any]) -> None:
    session = login(org["east_sales"])
    created = post(session, "/api/tokens", {"name": "script"}).json()
    client = Client(headers={"Authorization": f"Bearer {created['token']}"})

    assert client.get("/api/customers").status_code == 200

    response = post(session, f"/api/tokens/{created['id']}/revoke")
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert client.get("/api/customers").status_code == 401


def test_token_can_revoke_itself(org: dict[str, Any]) -> None:
    _token, raw = token_create(user=org["east_sales"], name="self")
    client = Client(headers={"Authorization": f"Bearer {raw}"})

    assert post(client, f"/api/tokens/{_token.pk}/revoke").status_code == 200
    assert client.get("/api/tokens").status_code == 401


def test_unknown_missing_and_malformed_credentials_are_401(db: None) -> None:
    assert Client().get("/api/customers").status_code == 401
    for header in ["Bearer nope", "Bearer ", "Bearer " + "x" * 5000, "Bearer vf_ä€"]:
        response = Client(headers={"Authorization": header}).get("/api/customers")
        assert response.status_code == 401, header
        assert response.json()["detail"]


def test_invalid_token_does_not_fall_back_to_session(org: dict[str, Any]) -> None:
    client = login(org["east_sales"])

    response = client.get("/api/customers", headers={"Authorization": "Bearer wrong"})

    assert response.status_code == 401


def test_token_of_inactive_user_is_401(org: dict[str, Any]) -> None:
    user = org["east_sales"]
    client = token_client(user)
    user.is_active = False
    user.save()

    assert client.get("/api/customers").status_code == 401


def test_last_used_is_written_at_most_once_a_minute(org: dict[str, Any]) -> None:
    token, raw = token_create(user=org["east_sales"], name="t")
    client = Client(headers={"Authorization": f"Bearer {raw}"})

    client.get("/api/tokens")
    token.refresh_from_db()
    first = token.last_used
    assert first is not None

    client.get("/api/tokens")
    token.refresh_from_db()
    assert token.last_used == first

    ApiToken.objects.filter(pk=token.pk).update(last_used=first - timedelta(minutes=2))
    client.get("/api/tokens")
    token.refresh_from_db()
    assert token.last_used > first - timedelta(seconds=1)
    assert token.last_used <= timezone.now()


def test_cannot_see_or_revoke_someone_elses_token(org: dict[str, Any]) -> None:
    other, _raw = token_create(user=org["south_sales"], name="theirs")
    client = login(org["east_sales"])

    assert client.get("/api/tokens").json() == []
    assert post(client, f"/api/tokens/{other.pk}/revoke").status_code == 404
    other.refresh_from_db()
    assert other.is_active


def test_token_create_bad_input(org: dict[str, Any]) -> None:
    client = login(org["east_sales"])

    blank = post(client, "/api/tokens", {"name": "   "})
    assert blank.status_code == 422
    assert blank.json()["detail"][0]["loc"] == ["body", "name"]
    assert post(client, "/api/tokens", {"name": "x" * 101}).status_code == 422
    assert post(client, "/api/tokens", {"name": 5}).status_code == 422
    assert post(client, "/api/tokens", {}).status_code == 422
    assert post(client, "/api/tokens", ["name"]).status_code == 422
    garbage = client.post("/api/tokens", "{not json", content_type="application/json")
    assert garbage.status_code == 400
    assert post(client, "/api/tokens/0/revoke").status_code == 422
    assert post(client, f"/api/tokens/{2**64}/revoke").status_code == 422
    assert post(client, "/api/tokens/-1/revoke").status_code == 422
    assert post(client, "/api/tokens/abc/revoke").status_code in {404, 422}


def test_too_many_tokens_is_422(org: dict[str, Any]) -> None:
    user = org["east_sales"]
    for n in range(MAX_ACTIVE_TOKENS):
        token_create(user=user, name=f"t{n}")

    response = post(login(user), "/api/tokens", {"name": "one more"})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body"]


def test_session_writes_need_the_csrf_token(org: dict[str, Any]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(org["east_sales"])

    assert post(client, "/api/tokens", {"name": "x"}).status_code == 403
    assert client.get("/api/tokens").status_code == 200

    csrf = "a" * CSRF_SECRET_LENGTH
    client.cookies[settings.CSRF_COOKIE_NAME] = csrf
    response = client.post(
        "/api/tokens",
        {"name": "x"},
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )
    assert response.status_code == 201


def test_token_writes_need_no_csrf_token(org: dict[str, Any]) -> None:
    _token, raw = token_create(user=org["east_sales"], name="t")
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {raw}"})

    assert post(client, "/api/tokens", {"name": "x"}).status_code == 201


def test_token_requests_run_in_the_users_language(org: dict[str, Any], monkeypatch: Any) -> None:
    seen: list[str] = []

    def fake_create(**kwargs: Any) -> Customer:
        seen.append(translation.get_language())
        raise ApplicationError("stop here")

    monkeypatch.setattr("visitflow.customers.services.customer_create", fake_create)
    user = org["east_sales"]
    for language in ["en", "zh-hans"]:
        user.language = language
        user.save()
        client = token_client(user)
        assert post(client, "/api/customers", {"name": "某公司", "level": "A"}).status_code == 422

    assert seen == ["en", "zh-hans"]
