"""The demo business trip (SOP 5.2): 张磊 away over two upcoming visits, one with cover
asked for; the east manager's "cover needed" list shows both; a second run adds nothing."""

import pytest

from visitflow.accounts.models import Absence, User
from visitflow.core.demo import seed_demo_org
from visitflow.visits.demo import seed_demo_visits
from visitflow.visits.demo_cover import seed_demo_cover
from visitflow.visits.models import CoverRequest, CoverState
from visitflow.visits.selectors_cover import cover_needed_for_user

pytestmark = pytest.mark.django_db


def test_demo_trip_fills_cover_needed_and_is_idempotent():
    seed_demo_org()
    seed_demo_visits()
    first = seed_demo_cover()
    assert first.absences_created == 1 and first.cover_requests_created == 1
    assert first.clashing_visits == 2
    manager = User.objects.get(username="manager_east")
    needed = list(cover_needed_for_user(manager))
    assert len(needed) == 2
    assert {v.host.username for v in needed} == {"sales_east1"}
    assert CoverRequest.objects.get().state == CoverState.REQUESTED
    assert CoverRequest.objects.get().supervisor == manager

    again = seed_demo_cover()
    assert (again.absences_created, again.cover_requests_created) == (0, 0)
    assert Absence.objects.count() == 1 and CoverRequest.objects.count() == 1
