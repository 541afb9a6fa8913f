"""The demo inboxes and the switched-off example bot."""

import pytest

from visitflow.core.demo import seed_demo_org
from visitflow.notifications.demo import seed_demo_notifications
from visitflow.notifications.models import Delivery, Notification, WebhookEndpoint

pytestmark = pytest.mark.django_db


def test_demo_notifications_are_idempotent_and_send_nothing() -> None:
    seed_demo_org()

    first = seed_demo_notifications()
    second = seed_demo_notifications()

    assert first.notifications_created == 5 and first.webhooks_created == 1
    assert second.notifications_created == 0 and second.webhooks_created == 0
    assert Notification.objects.count() == 5
    unread = Notification.objects.filter(recipient__username="sales_east1", read_at__isnull=True)
    assert unread.count() == 2
    bot = WebhookEndpoint.objects.get()
    assert bot.team is not None and bot.team.manager.username == "manager_east"
    assert not bot.is_active
    assert not Delivery.objects.exists()  # seeding e-mails and posts nothing


def test_without_the_demo_company_nothing_is_made() -> None:
    assert seed_demo_notifications().notifications_created == 0
    assert not WebhookEndpoint.objects.exists()
