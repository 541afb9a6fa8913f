"""notify_many(): what a worker uses to turn a group of reminders into notifications in
one transaction — the same rows notify() makes, in a fixed number of queries, with the
deliveries claimed for the caller and sent one after another."""

from typing import Any

import pytest
from django.db import IntegrityError

from tests.factories.people import make_user
from tests.notifications.conftest import SECRET, BotServer
from visitflow.accounts.models import Role
from visitflow.notifications import services
from visitflow.notifications.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationKind,
    NotificationPreference,
    WebhookEndpoint,
    WebhookKind,
)

pytestmark = pytest.mark.django_db


def _draft(user: Any, key: str, kind: str = NotificationKind.STEP_ESCALATED) -> services.Draft:
    return services.Draft(recipient=user, kind=kind, title="T", body="B", link="/x/", key=key)


def test_the_same_rows_as_notify_one_by_one(org: dict[str, Any], bot_server: BotServer) -> None:
    person = org["east_sales"]
    person.email = "zhang@example.com"
    person.save(update_fields=["email"])
    WebhookEndpoint.objects.create(
        kind=WebhookKind.DINGTALK,
        url=bot_server.url("dingtalk", "access_token=t"),
        secret=SECRET,
        team=org["east"],
    )
    WebhookEndpoint.objects.create(
        kind=WebhookKind.FEISHU, url=bot_server.url("feishu"), secret=SECRET, user=person
    )
    other = org["south_sales"]  # no e-mail, no bot: the inbox only

    result = services.notify_many([_draft(person, "k1"), _draft(other, "k2")])

    first, second = result.notifications
    assert first is not None and second is not None
    assert {d.channel for d in result.deliveries} == {
        Channel.EMAIL,
        Channel.DINGTALK,
        Channel.FEISHU,
    }
    assert all(d.notification_id == first.pk for d in result.deliveries)
    # Claimed for the caller: another worker's claim or the sweep leaves them alone
    # until the lease ends.
    for delivery in Delivery.objects.filter(notification=first):
        assert delivery.status == DeliveryStatus.SENDING
        assert delivery.attempts == 1 and delivery.lease_until is not None
    assert services._claim(result.deliveries[0].pk) is None


def test_claimed_deliveries_are_sent_and_recorded(
    org: dict[str, Any], bot_server: BotServer
) -> None:
    person = org["east_sales"]
    WebhookEndpoint.objects.create(
        kind=WebhookKind.WECOM, url=bot_server.url("wecom", "key=k"), user=person
    )
    result = services.notify_many([_draft(person, "k1", NotificationKind.FOLLOW_UP_DUE)])

    services.deliveries_send_claimed(result.deliveries)

    assert len(bot_server.requests) == 1
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.SENT and delivery.lease_until is None


def test_preferences_are_read_per_person_and_kind(org: dict[str, Any]) -> None:
    keen, quiet = org["east_sales"], org["east_manager"]
    for user in (keen, quiet):
        user.email = f"{user.username}@example.com"
        user.save(update_fields=["email"])
    NotificationPreference.objects.create(
        user=keen, kind=NotificationKind.FOLLOW_UP_DUE, email=True
    )
    NotificationPreference.objects.create(
        user=quiet, kind=NotificationKind.STEP_ESCALATED, email=False
    )

    result = services.notify_many(
        [
            _draft(keen, "a", NotificationKind.FOLLOW_UP_DUE),
            _draft(quiet, "b", NotificationKind.STEP_ESCALATED),
            _draft(quiet, "c", NotificationKind.FOLLOW_UP_DUE),  # default: no e-mail
        ]
    )

    assert [d.notification.key for d in result.deliveries] == ["a"]


def test_taken_keys_and_inactive_people_give_none(org: dict[str, Any]) -> None:
    person = org["east_sales"]
    gone = make_user(username="gone", role=Role.SALES, team=org["east"])
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    services.notify(recipient=person, kind=NotificationKind.TEST, title="T", body="B", key="k1")

    result = services.notify_many([_draft(person, "k1"), _draft(gone, "k2"), _draft(person, "k3")])

    assert result.notifications[0] is None and result.notifications[1] is None
    assert result.notifications[2] is not None
    assert sorted(Notification.objects.values_list("key", flat=True)) == ["k1", "k3"]


def test_the_same_key_twice_raises_for_the_caller_to_fall_back(org: dict[str, Any]) -> None:
    person = org["east_sales"]
    with pytest.raises(IntegrityError):
        services.notify_many([_draft(person, "k1"), _draft(person, "k1")])


def test_bad_drafts_are_refused(org: dict[str, Any]) -> None:
    person = org["east_sales"]
    with pytest.raises(ValueError, match="unknown notification kind"):
        services.notify_many([_draft(person, "k", kind="nonsense")])
    with pytest.raises(ValueError, match="link longer"):
        services.notify_many(
            [services.Draft(recipient=person, kind="test", title="T", body="B", link="/" * 501)]
        )


def test_a_fixed_number_of_queries_whatever_the_number_of_drafts(
    org: dict[str, Any], django_assert_num_queries: Any
) -> None:
    WebhookEndpoint.objects.create(
        kind=WebhookKind.WECOM, url="https://qyapi.weixin.qq.com/x?key=k", team=org["east"]
    )
    people = [make_user(username=f"p{i}", role=Role.SALES, team=org["east"]) for i in range(30)]
    drafts = [_draft(p, f"k{i}") for i, p in enumerate(people)]
    # keys taken, insert notifications, preferences, bots, insert deliveries
    with django_assert_num_queries(5):
        result = services.notify_many(drafts)
    assert len(result.deliveries) == 30
