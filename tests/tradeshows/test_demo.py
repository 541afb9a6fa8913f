"""The demo trade show: an upcoming show the demo's booth team can open on a phone."""

import pytest
from django.core.management import call_command

from tests.conftest import login
from visitflow.accounts.models import User
from visitflow.tradeshows.demo import DEMO_SHOW, seed_demo_tradeshow
from visitflow.tradeshows.models import InvitationStatus, TradeShow

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_one_upcoming_show_once(db: object) -> None:
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    show = TradeShow.objects.get(name=DEMO_SHOW)
    assert show.posts.count() == 2
    assert show.checklist.count() >= 16
    assert show.invitations.count() >= 3
    assert show.invitations.filter(status=InvitationStatus.CONFIRMED).exists()
    assert show.invitations.filter(status=InvitationStatus.DECLINED).exists()
    assert show.leads.count() == 3
    assert show.posts.filter(shifts__isnull=False).exists()
    assert seed_demo_tradeshow().shows_created == 0
    sales = User.objects.get(username="sales_east1")
    client = login(sales)
    for url in (
        f"/tradeshows/{show.pk}/",
        f"/tradeshows/{show.pk}/invitations/",
        f"/tradeshows/{show.pk}/board/",
        f"/tradeshows/{show.pk}/checklist/",
        f"/tradeshows/{show.pk}/leads/",
        f"/tradeshows/{show.pk}/funnel/",
    ):
        assert client.get(url).status_code == 200, url
