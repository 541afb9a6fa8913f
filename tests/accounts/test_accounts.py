import pytest
from django.urls import reverse

from tests.conftest import login
from tests.factories.people import PASSWORD, make_user
from visitflow.accounts.models import Role
from visitflow.accounts.services import user_create, user_set_role
from visitflow.core.exceptions import ApplicationError

pytestmark = pytest.mark.django_db


def test_login_with_the_form_and_logout(client):
    user = make_user(role=Role.SALES)
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("customers:list")).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("customers:list")).status_code == 302


def test_wrong_password_is_explained_in_chinese_and_keeps_username(client):
    user = make_user(role=Role.SALES)
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": "wrong"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "请输入一个正确的" in body  # Django's own zh-hans message
    assert f'value="{user.username}"' in body


def test_repeated_failures_lock_the_account(client, settings):
    user = make_user(role=Role.SALES)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": user.username, "password": "nope"})
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()


def test_language_switch_is_remembered_on_the_user(org):
    user = org["east_sales"]
    client = login(user)
    assert "客户" in client.get(reverse("customers:list")).content.decode()
    response = client.post(
        reverse("accounts:language"), {"language": "en", "next": reverse("customers:list")}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "en"
    # A new session (another device) still gets English.
    body = login(user).get(reverse("customers:list")).content.decode()
    assert "Customers" in body and 'lang="en"' in body


def test_language_switch_rejects_unknown_language_and_foreign_redirect(org):
    client = login(org["east_sales"])
    response = client.post(
        reverse("accounts:language"), {"language": "xx", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response.url == "/"
    org["east_sales"].refresh_from_db()
    assert org["east_sales"].language == "zh-hans"


def test_anonymous_language_cookie(client):
    client.post(reverse("accounts:language"), {"language": "en"})
    assert 'lang="en"' in client.get(reverse("accounts:login")).content.decode()


def test_browser_language_does_not_override_chinese_default(client):
    body = client.get(reverse("accounts:login"), headers={"accept-language": "en-US"})
    assert 'lang="zh-CN"' in body.content.decode()


def test_change_password(org):
    user = org["east_sales"]
    client = login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "bad", "new_password1": "x", "new_password2": "y"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Reception-2026!",
            "new_password2": "Reception-2026!",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Reception-2026!")


def test_role_groups_follow_the_role(db):
    user = user_create(username="li", password=None, display_name="李", role=Role.SALES)
    assert list(user.groups.values_list("name", flat=True)) == ["sales"]
    assert user.has_perm("customers.add_customer")
    user_set_role(actor=None, user=user, role=Role.FINANCE)
    user = type(user).objects.get(pk=user.pk)
    assert list(user.groups.values_list("name", flat=True)) == ["finance"]
    assert user.has_perm("customers.view_customer")
    assert not user.has_perm("customers.add_customer")
    with pytest.raises(ApplicationError):
        user_set_role(actor=None, user=user, role="pilot")


def test_user_mobile_is_validated(db):
    with pytest.raises(ApplicationError) as info:
        user_create(username="bad", password=None, display_name="坏号码", mobile="+86 123")
    assert "mobile" in str(info.value) or info.value.field_errors


def test_api_token_page_creates_and_revokes(org):
    client = login(org["east_sales"])
    response = client.post(reverse("accounts:token_create"), {"name": "Excel 同步"})
    assert response.status_code == 200
    raw = response.context["new_token"]
    assert raw.startswith("vf_")
    token = org["east_sales"].api_tokens.get()
    assert raw not in token.key_hash
    assert client.post(reverse("accounts:token_create"), {"name": ""}).status_code == 422
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    other = login(org["south_sales"])
    assert other.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
