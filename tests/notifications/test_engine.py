"""notify() and the delivery engine: idempotency, preferences, language, retries with
backoff, leases that outlive a dead worker, and failures that never spread."""

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

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
    WebhookEndpoint,
    WebhookKind,
)
from visitflow.notifications.selectors import ChannelChoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(org: dict[str, Any]) -> Any:
    user = org["east_sales"]
    user.email = "zhang@example.com"
    user.save(update_fields=["email"])
    return user


def bots(bot_server: BotServer, org: dict[str, Any], person: Any) -> tuple[Any, Any]:
    team_bot = WebhookEndpoint.objects.create(
        kind=WebhookKind.DINGTALK,
        url=bot_server.url("dingtalk", "access_token=t"),
        secret=SECRET,
        team=org["east"],
    )
    own_bot = WebhookEndpoint.objects.create(
        kind=WebhookKind.FEISHU, url=bot_server.url("feishu"), secret=SECRET, user=person
    )
    return team_bot, own_bot


def test_notify_creates_the_inbox_row_and_deliveries_per_preferences(
    org: dict[str, Any], person: Any, bot_server: BotServer, django_capture_on_commit_callbacks: Any
) -> None:
    bots(bot_server, org, person)

    with django_capture_on_commit_callbacks(execute=True):
        # Escalations default to e-mail, the team's bot and the person's own bot.
        n = services.notify(
            recipient=person,
            kind=NotificationKind.STEP_ESCALATED,
            title="T",
            body="B",
            link="/visits/1/",
        )

    assert n is not None and n.recipient == person and not n.is_read
    deliveries = {d.channel: d for d in Delivery.objects.filter(notification=n)}
    assert set(deliveries) == {Channel.EMAIL, Channel.DINGTALK, Channel.FEISHU}
    assert {d.status for d in deliveries.values()} == {DeliveryStatus.SENT}
    assert all(d.attempts == 1 for d in deliveries.values())
    assert len(mail.outbox) == 1
    assert sorted(r.path for r in bot_server.requests) == ["/dingtalk/send", "/feishu/send"]
    ids = {r.headers["X-VisitFlow-Delivery"] for r in bot_server.requests}
    assert ids == {str(deliveries[Channel.DINGTALK].pk), str(deliveries[Channel.FEISHU].pk)}
    # The team's group is told whom the message is for.
    team_text = next(r for r in bot_server.requests if r.path.startswith("/dingtalk")).body
    assert str(person) in team_text["markdown"]["text"]


def test_defaults_keep_email_for_escalations_and_digest_only(
    person: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=person, kind=NotificationKind.STEP_DUE, title="due", body="")
        services.notify(recipient=person, kind=NotificationKind.DAILY_DIGEST, title="day", body="")

    assert [m.subject for m in mail.outbox] == ["day"]


def test_preferences_are_honoured(
    org: dict[str, Any], person: Any, bot_server: BotServer, django_capture_on_commit_callbacks: Any
) -> None:
    bots(bot_server, org, person)
    services.preferences_update(
        actor=person,
        user=person,
        choices={
            NotificationKind.STEP_ESCALATED: ChannelChoice(),  # inbox only
            NotificationKind.STEP_DUE: ChannelChoice(email=True, team_webhook=True),
        },
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=person, kind=NotificationKind.STEP_ESCALATED, title="e", body="")
        due = services.notify(recipient=person, kind=NotificationKind.STEP_DUE, title="d", body="")

    assert Notification.objects.filter(recipient=person).count() == 2
    assert sorted(Delivery.objects.values_list("channel", flat=True)) == ["dingtalk", "email"]
    assert set(Delivery.objects.values_list("notification", flat=True)) == {due.pk}  # type: ignore[union-attr]
    assert [r.path for r in bot_server.requests] == ["/dingtalk/send"]


def test_inactive_bot_and_missing_email_get_no_delivery(
    org: dict[str, Any], person: Any, bot_server: BotServer
) -> None:
    team_bot, own_bot = bots(bot_server, org, person)
    WebhookEndpoint.objects.filter(pk__in=[team_bot.pk, own_bot.pk]).update(is_active=False)
    person.email = ""
    person.save(update_fields=["email"])

    n = services.notify(recipient=person, kind=NotificationKind.STEP_ESCALATED, title="x", body="")

    assert n is not None
    assert not Delivery.objects.exists()


def test_notify_is_idempotent_by_key(person: Any) -> None:
    first = services.notify(
        recipient=person, kind=NotificationKind.STEP_ESCALATED, title="a", body="", key="step:7"
    )
    second = services.notify(
        recipient=person, kind=NotificationKind.STEP_ESCALATED, title="b", body="", key="step:7"
    )

    assert first is not None
    assert second is None
    assert Notification.objects.filter(key="step:7").count() == 1
    assert Delivery.objects.count() == 1  # the e-mail of the first call only


def test_notify_key_race_leaves_the_callers_transaction_usable(person: Any) -> None:
    # The losing side of a race: the existence check passed, the insert hits the
    # unique constraint. Simulated by inserting the row under the check's nose.
    Notification.objects.create(recipient=person, kind="test", title="x", key="race:1")
    with transaction.atomic():
        original_exists = Notification.objects.filter(key="race:1").exists
        assert original_exists()
        from unittest import mock

        with mock.patch.object(
            type(Notification.objects.filter(key="race:1")), "exists", return_value=False
        ):
            assert (
                services.notify(recipient=person, kind="test", title="y", body="", key="race:1")
                is None
            )
        # Still usable after the IntegrityError (a savepoint took it).
        assert Notification.objects.filter(key="race:1").count() == 1


def test_empty_keys_never_collide(person: Any) -> None:
    services.notify(recipient=person, kind=NotificationKind.TEST, title="a", body="")
    services.notify(recipient=person, kind=NotificationKind.TEST, title="b", body="")
    assert Notification.objects.filter(recipient=person, key="").count() == 2


def test_notify_skips_a_deactivated_person(person: Any) -> None:
    person.is_active = False
    person.save(update_fields=["is_active"])
    assert services.notify(recipient=person, kind="test", title="x", body="") is None
    assert not Notification.objects.exists()


def test_unknown_kind_is_a_programming_error(person: Any) -> None:
    with pytest.raises(ValueError, match="unknown notification kind"):
        services.notify(recipient=person, kind="nope", title="x", body="")
    with pytest.raises(ValueError, match="link longer"):
        services.notify(recipient=person, kind="test", title="x", body="", link="/" + "a" * 500)


@pytest.mark.parametrize(
    ("language", "expected"),
    # Django's own catalogue translates "Monday" and "January", so the assertion does not
    # depend on the project's translations being filled in.
    [("en", "Monday · January"), ("zh-hans", "星期一 · 一月")],
)
def test_title_and_body_render_in_the_recipients_language(
    org: dict[str, Any], language: str, expected: str, django_capture_on_commit_callbacks: Any
) -> None:
    person = make_user(role=Role.SALES, team=org["east"], language=language, email="p@example.com")
    title = format_lazy("{} · {}", gettext_lazy("Monday"), gettext_lazy("January"))

    with django_capture_on_commit_callbacks(execute=True):
        n = services.notify(
            recipient=person, kind=NotificationKind.DAILY_DIGEST, title=title, body=title
        )

    assert n is not None and n.title == expected and n.body == expected
    assert mail.outbox[0].subject == expected


def test_email_and_bot_text_use_the_recipients_language(
    org: dict[str, Any], bot_server: BotServer, django_capture_on_commit_callbacks: Any
) -> None:
    person = make_user(role=Role.SALES, team=org["east"], language="en", email="en@example.com")
    WebhookEndpoint.objects.create(kind=WebhookKind.WECOM, url=bot_server.url("wecom"), user=person)

    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            recipient=person, kind=NotificationKind.DAILY_DIGEST, title="t", body="b", link="/x/"
        )

    assert (
        "[Open in VisitFlow](https://visitflow.example.com/x/)"
        in (bot_server.requests[0].body["markdown"]["content"])
    )
    assert mail.outbox[0].extra_headers["Message-ID"].startswith("<delivery-")


# --- retries, leases, the sweep ------------------------------------------------------------


def failing_delivery(
    person: Any, bot_server: BotServer, django_capture_on_commit_callbacks: Any
) -> Delivery:
    bot_server.answer = (200, {"errcode": 93000, "errmsg": "invalid webhook url"})
    WebhookEndpoint.objects.create(kind=WebhookKind.WECOM, url=bot_server.url("wecom"), user=person)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=person, kind=NotificationKind.STEP_DUE, title="t", body="")
    return Delivery.objects.get()


def test_a_refusal_is_retried_with_backoff_then_fails(
    person: Any, bot_server: BotServer, django_capture_on_commit_callbacks: Any
) -> None:
    before = timezone.now()
    delivery = failing_delivery(person, bot_server, django_capture_on_commit_callbacks)

    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.attempts == 1
    assert "93000" in delivery.last_error and "invalid webhook url" in delivery.last_error
    assert delivery.next_attempt_at is not None
    assert timedelta(seconds=59) <= delivery.next_attempt_at - before <= timedelta(seconds=65)

    # Not due yet: the sweep leaves it alone.
    assert services.deliveries_sweep(now=timezone.now()) == 0

    waits = []
    for _attempt in range(4):
        delivery.refresh_from_db()
        due = delivery.next_attempt_at
        assert due is not None
        attempted_at = timezone.now()
        with django_capture_on_commit_callbacks(execute=True):
            assert services.deliveries_sweep(now=due + timedelta(seconds=1)) == 1
        delivery.refresh_from_db()
        if delivery.next_attempt_at:
            waits.append(round((delivery.next_attempt_at - attempted_at).total_seconds() / 60))
    # After the 1st failure 1 min, then 5 min, 30 min and 2 h; the 5th failure is final.
    assert waits == [5, 30, 120]
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 5
    assert delivery.next_attempt_at is None
    assert len(bot_server.requests) == 5


def test_the_sweep_picks_up_a_delivery_whose_worker_died(
    person: Any, bot_server: BotServer, django_capture_on_commit_callbacks: Any
) -> None:
    WebhookEndpoint.objects.create(kind=WebhookKind.WECOM, url=bot_server.url("wecom"), user=person)
    # Created, then "claimed" by a worker that died before sending (no commit hook ran).
    services.notify(recipient=person, kind=NotificationKind.STEP_DUE, title="t", body="")
    delivery = Delivery.objects.get()
    claimed_at = timezone.now()
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENDING, attempts=1, lease_until=claimed_at + timedelta(seconds=120)
    )

    # A second worker asked to send it while the lease holds does nothing.
    services.delivery_send(delivery_id=delivery.pk)
    assert bot_server.requests == []
    assert services.deliveries_sweep(now=claimed_at + timedelta(seconds=60)) == 0

    with django_capture_on_commit_callbacks(execute=True):
        assert services.deliveries_sweep(now=claimed_at + timedelta(seconds=121)) == 1

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 2
    assert len(bot_server.requests) == 1


def test_a_queued_delivery_nobody_picked_up_is_queued_again(
    person: Any, bot_server: BotServer, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.NOTIFICATION_REQUEUE_SECONDS = 600
    WebhookEndpoint.objects.create(kind=WebhookKind.WECOM, url=bot_server.url("wecom"), user=person)
    services.notify(
        recipient=person, kind=NotificationKind.STEP_DUE, title="t", body=""
    )  # task lost
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.QUEUED and delivery.queued_at is not None

    assert services.deliveries_sweep(now=delivery.queued_at + timedelta(seconds=599)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.deliveries_sweep(now=delivery.queued_at + timedelta(seconds=601)) == 1

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT


def test_a_sent_delivery_is_never_sent_again(
    person: Any, bot_server: BotServer, django_capture_on_commit_callbacks: Any
) -> None:
    WebhookEndpoint.objects.create(kind=WebhookKind.WECOM, url=bot_server.url("wecom"), user=person)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=person, kind=NotificationKind.STEP_DUE, title="t", body="")
    delivery = Delivery.objects.get()

    services.delivery_send(delivery_id=delivery.pk)  # a duplicate task
    assert services.deliveries_sweep(now=timezone.now() + timedelta(days=1)) == 0

    assert len(bot_server.requests) == 1


def test_a_late_worker_does_not_overwrite_a_newer_claim(person: Any, bot_server: BotServer) -> None:
    WebhookEndpoint.objects.create(kind=WebhookKind.WECOM, url=bot_server.url("wecom"), user=person)
    services.notify(recipient=person, kind=NotificationKind.STEP_DUE, title="t", body="")
    delivery = Delivery.objects.get()
    # Another worker claimed it since (attempt 2); an outcome for attempt 1 is dropped.
    from visitflow.notifications.services import _claim

    claimed = _claim(delivery.pk)
    assert claimed is not None and claimed.attempts == 1
    Delivery.objects.filter(pk=delivery.pk).update(attempts=2)
    bot_server.answer = (200, {"errcode": 45009, "errmsg": "api freq out of limit"})
    from visitflow.notifications.services import delivery_send

    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENDING, lease_until=timezone.now() - timedelta(seconds=1)
    )
    delivery_send(delivery_id=delivery.pk)  # claims as attempt 3 and records its failure
    delivery.refresh_from_db()
    assert delivery.attempts == 3
    assert delivery.status == DeliveryStatus.PENDING
    assert "45009" in delivery.last_error


def test_one_failure_does_not_block_the_others(
    org: dict[str, Any],
    person: Any,
    bot_server: BotServer,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.EMAIL_BACKEND = "tests.notifications.backends.RefusingBackend"
    WebhookEndpoint.objects.create(kind=WebhookKind.WECOM, url=bot_server.url("wecom"), user=person)
    WebhookEndpoint.objects.create(
        kind=WebhookKind.WECOM, url="http://127.0.0.1:9/unreachable", team=org["east"]
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=person, kind=NotificationKind.STEP_ESCALATED, title="t", body="")

    by_channel = {
        (d.channel, d.endpoint_id is not None and d.endpoint.team_id is not None): d
        for d in Delivery.objects.select_related("endpoint")
    }
    email = by_channel[(Channel.EMAIL, False)]
    team = by_channel[(Channel.WECOM, True)]
    own = by_channel[(Channel.WECOM, False)]
    assert own.status == DeliveryStatus.SENT
    assert email.status == DeliveryStatus.PENDING and "mailbox unavailable" in email.last_error
    assert team.status == DeliveryStatus.PENDING and "无法连接机器人" in team.last_error


def test_an_unexpected_error_is_recorded_not_raised(
    person: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = "tests.notifications.backends.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=person, kind=NotificationKind.DAILY_DIGEST, title="t", body="")

    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert "backend exploded" in delivery.last_error


def test_a_removed_bot_fails_at_once(person: Any, bot_server: BotServer) -> None:
    bot = WebhookEndpoint.objects.create(
        kind=WebhookKind.WECOM, url=bot_server.url("wecom"), user=person
    )
    services.notify(recipient=person, kind=NotificationKind.STEP_DUE, title="t", body="")
    bot.delete()

    services.delivery_send(delivery_id=Delivery.objects.get().pk)

    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 1


def test_retry_now_sends_a_failed_delivery(
    org: dict[str, Any], person: Any, bot_server: BotServer, django_capture_on_commit_callbacks: Any
) -> None:
    delivery = failing_delivery(person, bot_server, django_capture_on_commit_callbacks)
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED, attempts=5)
    delivery.refresh_from_db()
    bot_server.answer = None

    with django_capture_on_commit_callbacks(execute=True):
        services.delivery_retry(actor=org["admin"], delivery=delivery)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 6

    from visitflow.core.exceptions import ApplicationError

    with pytest.raises(ApplicationError):
        services.delivery_retry(actor=org["admin"], delivery=delivery)


def test_mark_read_and_mark_all(person: Any) -> None:
    a = services.notify(recipient=person, kind="test", title="a", body="")
    services.notify(recipient=person, kind="test", title="b", body="")
    assert a is not None

    services.notification_mark_read(notification=a)
    first_read = a.read_at
    services.notification_mark_read(notification=a)  # reading twice keeps the first time

    a.refresh_from_db()
    assert a.read_at == first_read
    assert services.notifications_mark_all_read(user=person) == 1
    assert not Notification.objects.filter(read_at__isnull=True).exists()
