"""seed_demo's visits: every state, real steps and follow-ups, idempotent; --visits bulk load.

One test on purpose: seeding the demo company takes seconds, so it is done once.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from visitflow.core.models import ActivityLog
from visitflow.visits.models import (
    FollowUp,
    ReturnCall,
    StepState,
    TravelLeg,
    Visit,
    Visitor,
    VisitRequest,
    VisitReschedule,
    VisitStatus,
    VisitStep,
)
from visitflow.visits.selectors import my_day_for_user
from visitflow.visits.services import visit_missing_for_confirmation

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (
            Visit,
            VisitStep,
            Visitor,
            TravelLeg,
            VisitRequest,
            ReturnCall,
            FollowUp,
            ActivityLog,
        )
    )


def test_demo_visits_every_state_idempotent_and_bulk() -> None:
    from visitflow.accounts.models import User

    seed()

    visits = Visit.objects.all()
    assert 20 <= visits.count() <= 30
    assert set(visits.values_list("status", flat=True)) == set(VisitStatus.values)
    now = timezone.now()
    # States agree with the dates.
    assert not visits.filter(status=VisitStatus.CLOSED, ends_at__gt=now).exists()
    assert not visits.filter(status=VisitStatus.DRAFT, starts_at__lt=now).exists()
    # Made through the services: ten steps each, audited, some done, return calls rated.
    for visit in visits:
        assert visit.steps.count() == 10
        assert visit.party_size == visit.visitors.count()
    assert ActivityLog.objects.filter(action="visit.created").count() == visits.count()
    assert VisitStep.objects.filter(state=StepState.DONE).exists()
    assert ReturnCall.objects.filter(product_rating__isnull=False).exists()
    assert FollowUp.objects.filter(state="done").exclude(notes="").exists()
    assert VisitRequest.objects.filter(state="open").exists()
    assert VisitRequest.objects.filter(state="done").exists()
    assert VisitReschedule.objects.exists()
    assert visits.filter(status=VisitStatus.CANCELLED).exclude(cancel_reason="").exists()
    assert set(TravelLeg.objects.values_list("mode", flat=True)) == {"flight", "train"}
    drafts = visits.filter(status=VisitStatus.DRAFT)
    assert any(visit_missing_for_confirmation(v) for v in drafts)
    # "My day" of sales_east1 shows visits with a flight and visitors with 特征.
    day = my_day_for_user(User.objects.get(username="sales_east1"))
    assert day.visits and day.steps
    assert any(leg.mode == "flight" for v in day.visits for leg in v.legs.all())
    assert any(p.features for v in day.visits for p in v.visitors.all())

    before = counts()
    assert "Demo visits: 0 created" in seed()
    assert counts() == before

    output = seed("--customers", "40", "--visits", "200", "--batch-size", "70")
    assert "Bulk: 200 visits, 2000 steps" in output
    assert Visit.objects.count() - before[0] == 200
    new = Visit.objects.order_by("-pk")[:200]
    for visit in new:
        if visit.status == VisitStatus.CLOSED:
            assert visit.ends_at < now
        if visit.status in (VisitStatus.DRAFT, VisitStatus.CONFIRMED):
            assert visit.starts_at > now
    # Bulk visits go to the benchmark customers, not the hand-made demo ones.
    audited = ActivityLog.objects.filter(customer__isnull=False).values("customer_id")
    assert not Visit.objects.filter(pk__in=[v.pk for v in new], customer__in=audited).exists()
