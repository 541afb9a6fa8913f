"""Spend over the standard still waiting the day before the meal: the approver is
reminded that morning; once decided, there is nothing to tell."""

from typing import Any

import pytest

from tests.factories.spend import make_line
from tests.factories.visits import local
from visitflow.reminders.messages import render
from visitflow.reminders.models import Reminder
from visitflow.reminders.services import reminders_plan
from visitflow.spend import services

pytestmark = pytest.mark.django_db


def test_a_waiting_line_reminds_its_approver_the_day_before(spend: dict[str, Any]) -> None:
    line = make_line(
        actor=spend["east_sales"], visit=spend["visit"], amount="1300.00", over_reason="签约"
    )
    within = make_line(actor=spend["east_sales"], visit=spend["visit"], amount="1000.00")
    reminders_plan(now=local(2026, 12, 9, 7))
    [reminder] = Reminder.objects.filter(kind="spend_approval")
    assert reminder.recipient == spend["east_manager"]
    assert reminder.source == f"spend_approval:{line.pk}"
    assert reminder.send_at == local(2026, 12, 9, 9)
    assert not Reminder.objects.filter(source=f"spend_approval:{within.pk}").exists()
    message = render(reminder, now=local(2026, 12, 9, 9))
    assert message is not None
    assert "签约" in str(message.body)
    assert message.link == "/spend/approvals/"
    services.line_approve(actor=spend["east_manager"], line=line)
    assert render(reminder, now=local(2026, 12, 9, 9)) is None


def test_far_over_reminds_every_director(spend: dict[str, Any]) -> None:
    make_line(actor=spend["east_sales"], visit=spend["visit"], amount="2000.00", over_reason="x")
    reminders_plan(now=local(2026, 12, 9, 7))
    recipients = set(
        Reminder.objects.filter(kind="spend_approval").values_list("recipient_id", flat=True)
    )
    assert recipients == {spend["director"].pk, spend["general_manager"].pk}
