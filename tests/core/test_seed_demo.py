from io import StringIO

import phonenumbers
import pytest
from django.core.management import call_command

from visitflow.accounts.models import Role, Team, User
from visitflow.core.demo import DEMO_CUSTOMER_COUNT, DEMO_PASSWORD
from visitflow.core.models import ActivityLog
from visitflow.customers.models import Contact, Customer

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> tuple[int, int, int, int, int]:
    return (
        User.objects.count(),
        Team.objects.count(),
        Customer.objects.count(),
        Contact.objects.count(),
        ActivityLog.objects.count(),
    )


def test_seed_demo_builds_the_company_and_is_idempotent() -> None:
    seed()

    users = User.objects.all()
    assert users.count() >= 10
    assert set(users.values_list("role", flat=True)) == set(Role.values)
    for user in users:
        assert user.groups.filter(name=user.role).exists()
        assert user.display_name
    assert User.objects.get(username="sales_east1").check_password(DEMO_PASSWORD)

    teams = Team.objects.select_related("manager")
    assert {t.name for t in teams} == {"华东销售部", "华南销售部", "华北销售部"}
    for team in teams:
        assert team.manager is not None
        assert team.manager.role == Role.SALES_MANAGER
        assert team.manager.team_id == team.pk

    customers = Customer.objects.all()
    assert customers.count() == DEMO_CUSTOMER_COUNT
    assert {c.owner.role for c in customers.select_related("owner")} <= {
        Role.SALES,
        Role.SALES_MANAGER,
    }
    assert customers.values("owner").distinct().count() >= 5
    assert customers.values("level").distinct().count() == 4
    for customer in customers.prefetch_related("contacts"):
        contacts = list(customer.contacts.all())
        assert 1 <= len(contacts) <= 3
        assert sum(c.is_primary for c in contacts) == 1
        for contact in contacts:
            number = phonenumbers.parse(contact.mobile, "CN")
            assert phonenumbers.is_valid_number(number), contact.mobile
            assert phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
    # Written through the services, so the history has them.
    assert ActivityLog.objects.filter(action="customer.created").count() == DEMO_CUSTOMER_COUNT

    before = counts()
    output = seed()
    assert counts() == before
    assert "0 customers" in output


def test_seed_demo_bulk_adds_customers_with_contacts() -> None:
    seed()
    seed("--customers", "500", "--batch-size", "200")
    assert Customer.objects.count() == DEMO_CUSTOMER_COUNT + 500
    bulk = Customer.objects.exclude(activity__action="customer.created")
    assert bulk.count() == 500
    assert not bulk.filter(contacts__isnull=True).exists()
    assert Contact.objects.filter(customer__in=bulk, is_primary=True).count() == 500

    # A second bulk run adds other companies without tripping the unique name constraint.
    seed("--customers", "500")
    assert Customer.objects.count() == DEMO_CUSTOMER_COUNT + 1000
    sample = Contact.objects.filter(customer__in=bulk).values_list("mobile", flat=True)[:200]
    assert all(phonenumbers.is_valid_number(phonenumbers.parse(m, "CN")) for m in sample)
