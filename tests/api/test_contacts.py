from typing import Any

from django.test import Client

from tests.api.conftest import patch, post
from tests.factories.customers import ContactFactory
from visitflow.customers.models import Contact, Customer


def test_list_contacts(
    sales_client: Client, east_customer: Customer, east_contact: Contact
) -> None:
    ContactFactory(customer=east_customer, name="李工")

    response = sales_client.get(f"/api/customers/{east_customer.pk}/contacts")

    assert response.status_code == 200
    assert [c["name"] for c in response.json()] == ["王经理", "李工"]
    assert response.json()[0]["is_primary"] is True


def test_create_contact_normalises_phone(sales_client: Client, east_customer: Customer) -> None:
    for typed in ["138 1234 5678", "+86 138-1234-5678", "13812345678"]:
        response = post(
            sales_client,
            f"/api/customers/{east_customer.pk}/contacts",
            {"name": f"张{typed}", "mobile": typed, "gender": "male", "title": "采购经理"},
        )
        assert response.status_code == 201, response.content
        assert response.json()["mobile"] == "+8613812345678"
        assert response.json()["customer_id"] == east_customer.pk
    first = Contact.objects.filter(customer=east_customer).order_by("id").first()
    assert first is not None
    assert first.is_primary


def test_landline_with_area_code(sales_client: Client, east_customer: Customer) -> None:
    response = post(
        sales_client,
        f"/api/customers/{east_customer.pk}/contacts",
        {"name": "前台", "mobile": "0755-12345678"},
    )

    assert response.status_code == 201
    assert response.json()["mobile"] == "+8675512345678"


def test_contact_detail_patch_delete(sales_client: Client, east_contact: Contact) -> None:
    url = f"/api/contacts/{east_contact.pk}"

    assert sales_client.get(url).json()["name"] == "王经理"

    response = patch(sales_client, url, {"mobile": "139 0000 1111", "diet": "不吃辣"})
    assert response.status_code == 200, response.content
    assert response.json()["mobile"] == "+8613900001111"
    assert response.json()["diet"] == "不吃辣"
    assert response.json()["name"] == "王经理"

    assert sales_client.delete(url).status_code == 204
    assert not Contact.objects.filter(pk=east_contact.pk).exists()
    assert sales_client.get(url).status_code == 404


def test_making_another_contact_primary(
    sales_client: Client, east_customer: Customer, east_contact: Contact
) -> None:
    other = ContactFactory(customer=east_customer, name="李工")

    response = patch(sales_client, f"/api/contacts/{other.pk}", {"is_primary": True})

    assert response.status_code == 200, response.content
    east_contact.refresh_from_db()
    assert not east_contact.is_primary
    assert response.json()["is_primary"] is True


def test_contacts_of_foreign_customer_are_404(
    org: dict[str, Any], south_customer: Customer
) -> None:
    contact = ContactFactory(customer=south_customer)
    client = Client()
    client.force_login(org["east_sales"])

    assert client.get(f"/api/customers/{south_customer.pk}/contacts").status_code == 404
    assert (
        post(client, f"/api/customers/{south_customer.pk}/contacts", {"name": "x"}).status_code
        == 404
    )
    assert client.get(f"/api/contacts/{contact.pk}").status_code == 404
    assert patch(client, f"/api/contacts/{contact.pk}", {"name": "x"}).status_code == 404
    assert client.delete(f"/api/contacts/{contact.pk}").status_code == 404
    contact.refresh_from_db()
    assert contact.name != "x"


def test_readers_cannot_change_contacts(org: dict[str, Any], east_contact: Contact) -> None:
    client = Client()
    client.force_login(org["director"])
    customer_id = east_contact.customer_id

    assert client.get(f"/api/contacts/{east_contact.pk}").status_code == 200
    assert client.get(f"/api/customers/{customer_id}/contacts").status_code == 200
    assert post(client, f"/api/customers/{customer_id}/contacts", {"name": "x"}).status_code == 403
    assert patch(client, f"/api/contacts/{east_contact.pk}", {"name": "x"}).status_code == 403
    assert client.delete(f"/api/contacts/{east_contact.pk}").status_code == 403
