import pytest
from django.urls import reverse

from tests.conftest import login
from tests.factories.customers import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    [
        "accounts_user",
        "accounts_team",
        "customers_customer",
        "customers_customerlevel",
        "core_activitylog",
    ],
)
def test_admin_lists_open_for_admin_only(org, name):
    ContactFactory(customer__owner=org["east_sales"])
    url = reverse(f"admin:{name}_changelist")
    assert login(org["admin"]).get(url).status_code == 200
    assert login(org["east_manager"]).get(url).status_code == 302


def test_admin_role_change_moves_the_group(org):
    user = org["east_sales"]
    client = login(org["admin"])
    response = client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        {
            "username": user.username,
            "display_name": user.display_name,
            "language": "zh-hans",
            "role": "finance",
            "is_active": "on",
            "last_login_0": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user.refresh_from_db()
    assert list(user.groups.values_list("name", flat=True)) == ["finance"]


def test_healthz(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}


@pytest.mark.parametrize("name", ["visits_playbookstep", "visits_followupcadence", "visits_visit"])
def test_playbook_is_edited_in_the_admin(org, name):
    url = reverse(f"admin:{name}_changelist")
    assert login(org["admin"]).get(url).status_code == 200


def test_admin_edits_a_playbook_step(org):
    from visitflow.visits.models import PlaybookStep

    step = PlaybookStep.objects.get(code="briefing")
    response = login(org["admin"]).get(reverse("admin:visits_playbookstep_change", args=[step.pk]))
    assert response.status_code == 200
    assert "确认到访日期和具体时间" in response.content.decode()
