"""The demo company's spend: standards for every level, and lines planned against them."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.conftest import login
from visitflow.accounts.models import User
from visitflow.customers.models import CustomerLevel
from visitflow.spend.models import ActualSpend, LineStatus, SpendLine, SpendStandard

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int]:
    return SpendStandard.objects.count(), SpendLine.objects.count(), ActualSpend.objects.count()


def test_demo_spend_is_seeded_once(db: object) -> None:
    call_command("seed_demo", stdout=StringIO())
    first = _counts()
    assert first[0] > 0 and first[1] > 0 and first[2] > 0
    for level in CustomerLevel.objects.all():
        assert SpendStandard.objects.filter(level=level, category="meal_banquet").exists()
    assert SpendLine.objects.filter(status=LineStatus.PENDING).exists()
    assert SpendLine.objects.filter(status=LineStatus.WITHIN).exists()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == first
    # The pages show it.
    finance = User.objects.get(username="finance")
    assert login(finance).get("/spend/").status_code == 200
    pending = SpendLine.objects.filter(status=LineStatus.PENDING).first()
    assert pending is not None
    manager = pending.visit.host.team.manager
    assert login(manager).get("/spend/approvals/").status_code == 200
