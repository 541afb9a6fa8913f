"""Writes of the notifications app, and the delivery engine.

`notify()` is how every other part of VisitFlow tells a person something: it stores the
inbox row and one Delivery per external channel the person chose, in the caller's
transaction, and hands the deliveries to the task queue once that transaction commits.

A Delivery moves through a small state machine (DELIVERY_MOVES). A worker claims one
with a lease (`delivery_send`), sends it outside any transaction, and records the
outcome only if it still holds the claim. A worker that dies mid-send leaves the row in
"sending"; once its lease ends `deliveries_sweep` queues it again. So a message is sent
at least once; the `X-VisitFlow-Delivery` header lets a receiver drop a repeat.
"""

import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from visitflow.accounts.models import Team, User
from visitflow.core.exceptions import ApplicationError
from visitflow.core.services import diff_snapshots, log_activity, snapshot, validate_model
from visitflow.notifications.channels import (
    ChannelError,
    OutgoingMessage,
    absolute_link,
    host_allowed,
    post_to_bot,
    send_email,
)
from visitflow.notifications.models import (
    KEYED,
    Channel,
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationKind,
    NotificationPreference,
    WebhookEndpoint,
    WebhookKind,
)
from visitflow.notifications.selectors import ChannelChoice, default_choice

logger = logging.getLogger(__name__)

# Which status a delivery may move to from which (enforced by the guarded updates below).
DELIVERY_MOVES: dict[str, frozenset[str]] = {
    DeliveryStatus.PENDING: frozenset({DeliveryStatus.QUEUED, DeliveryStatus.SENDING}),
    DeliveryStatus.QUEUED: frozenset({DeliveryStatus.SENDING, DeliveryStatus.QUEUED}),
    DeliveryStatus.SENDING: frozenset(
        {DeliveryStatus.SENT, DeliveryStatus.PENDING, DeliveryStatus.FAILED, DeliveryStatus.QUEUED}
    ),
    DeliveryStatus.FAILED: frozenset({DeliveryStatus.QUEUED}),  # "retry now"
    DeliveryStatus.SENT: frozenset(),
}
RETRYABLE_BY_HAND = (DeliveryStatus.FAILED, DeliveryStatus.PENDING)
SWEEP_BATCH = 2000
LINK_MAX_LENGTH = 500  # Notification.link
MAX_ERROR_CHARS = 2000


def _lease() -> timedelta:
    return timedelta(seconds=settings.NOTIFICATION_DELIVERY_LEASE_SECONDS)


def backoff_schedule() -> list[int]:
    """Seconds to wait after the 1st, 2nd, … failed attempt (the last attempt is final)."""
    return [int(s) for s in settings.NOTIFICATION_RETRY_BACKOFF_SECONDS]


def max_attempts() -> int:
    return len(backoff_schedule()) + 1


# --- notify -----------------------------------------------------------------------------


def _render(text: str | Promise, language: str) -> str:
    with translation.override(language):
        return str(text)


def _channels_for_many(
    pairs: Iterable[tuple[User, str]],
) -> dict[tuple[int, str], list[tuple[str, WebhookEndpoint | None]]]:
    """The external channels of each (recipient, kind), in three queries whatever the
    number of pairs: preferences, then the bots of the recipients and of their teams."""
    pairs = list(pairs)
    if not pairs:
        return {}
    people = {user.pk: user for user, _kind in pairs}
    kinds = {kind for _user, kind in pairs}
    saved = {
        (row.user_id, row.kind): ChannelChoice(row.email, row.team_webhook, row.personal_webhook)
        for row in NotificationPreference.objects.filter(user_id__in=people, kind__in=kinds)
    }
    team_ids = {user.team_id for user in people.values() if user.team_id}
    personal: dict[int, list[WebhookEndpoint]] = {}
    team: dict[int, list[WebhookEndpoint]] = {}
    for endpoint in WebhookEndpoint.objects.filter(
        Q(user_id__in=people) | Q(team_id__in=team_ids), is_active=True
    ).order_by("id"):
        if endpoint.user_id:
            personal.setdefault(endpoint.user_id, []).append(endpoint)
        if endpoint.team_id:
            team.setdefault(endpoint.team_id, []).append(endpoint)
    out: dict[tuple[int, str], list[tuple[str, WebhookEndpoint | None]]] = {}
    for user, kind in pairs:
        choice = saved.get((user.pk, kind)) or default_choice(kind)
        channels: list[tuple[str, WebhookEndpoint | None]] = []
        if choice.email and user.email:
            channels.append((Channel.EMAIL, None))
        endpoints: list[WebhookEndpoint] = []
        if choice.team_webhook and user.team_id:
            endpoints += team.get(user.team_id, [])
        if choice.personal_webhook:
            endpoints += personal.get(user.pk, [])
        channels += [(e.kind, e) for e in sorted(endpoints, key=lambda e: e.pk)]
        out[(user.pk, kind)] = channels
    return out


def _channels_for(recipient: User, kind: str) -> list[tuple[str, WebhookEndpoint | None]]:
    return _channels_for_many([(recipient, kind)])[(recipient.pk, kind)]


def _check_draft(kind: str, link: str) -> None:
    if kind not in NotificationKind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    if len(link) > LINK_MAX_LENGTH:
        raise ValueError(f"link longer than {LINK_MAX_LENGTH} characters")


def notify(
    *,
    recipient: User,
    kind: str,
    title: str | Promise,
    body: str | Promise,
    link: str = "",
    key: str = "",
    actor: User | None = None,
    queue_deliveries: bool = True,
) -> Notification | None:
    """Tell `recipient` something: one inbox row, plus one Delivery per external channel
    their preferences for `kind` choose (e-mail; their team's bot; their own bot, each
    if set up and active). Title and body are rendered in the recipient's language, so
    pass gettext_lazy / format_lazy strings. A non-empty `key` makes the call
    idempotent: a second call with the same key creates nothing and returns None (as
    does a call for a deactivated person). Runs in the caller's transaction; deliveries
    are queued after it commits.

    No audit row: a notification is itself the record of what the system told whom."""
    if not recipient.is_active:
        return None
    _check_draft(kind, link)
    language = recipient.language or settings.LANGUAGE_CODE
    with transaction.atomic():
        if key and Notification.objects.filter(KEYED, key=key).exists():
            return None
        try:
            # A savepoint, so that losing a race on the key leaves the caller's
            # transaction usable (PostgreSQL aborts it on an IntegrityError otherwise).
            with transaction.atomic():
                notification = Notification.objects.create(
                    recipient=recipient,
                    kind=kind,
                    title=_render(title, language)[:200],
                    body=_render(body, language),
                    link=link,
                    key=key,
                    actor=actor,
                )
        except IntegrityError:
            if key:
                return None
            raise
        now = timezone.now()
        ids = [
            Delivery.objects.create(
                notification=notification,
                channel=channel,
                endpoint=endpoint,
                status=DeliveryStatus.QUEUED,
                next_attempt_at=now,
                queued_at=now,
            ).pk
            for channel, endpoint in _channels_for(recipient, kind)
        ]
        # queue_deliveries=False: the caller sends them itself once committed (a worker
        # that already holds the notification saves a round trip through the queue);
        # if it dies first, the sweep queues them after NOTIFICATION_REQUEUE_SECONDS.
        if ids and queue_deliveries:
            transaction.on_commit(lambda: enqueue_deliveries(ids))
    return notification


@dataclass(frozen=True)
class Draft:
    """One notification to create with notify_many() (the arguments of notify())."""

    recipient: User
    kind: str
    title: str | Promise
    body: str | Promise
    link: str = ""
    key: str = ""


@dataclass(frozen=True)
class NotifyManyResult:
    notifications: list[Notification | None]  # one per draft, None where nothing was made
    deliveries: list[Delivery]  # claimed for the caller, ready for deliveries_send_claimed


def notify_many(drafts: Sequence[Draft]) -> NotifyManyResult:
    """notify() for many people at once, for a worker that sends the external messages
    itself: a handful of queries whatever the number of drafts, in the caller's
    transaction. The deliveries are created already claimed by the caller (status
    "sending", a lease, first attempt); the caller sends them with
    deliveries_send_claimed() once its transaction has committed. If it dies first,
    the sweep takes them over when the lease ends, as for any claim.

    A draft whose recipient is inactive or whose key exists already gives None. Two
    drafts with the same key, or a key created by someone else meanwhile, raise
    IntegrityError: the caller then falls back to notify() one by one."""
    for draft in drafts:
        _check_draft(draft.kind, draft.link)
    keys = [d.key for d in drafts if d.key]
    taken = set(Notification.objects.filter(KEYED, key__in=keys).values_list("key", flat=True))
    wanted = [d for d in drafts if d.recipient.is_active and not (d.key and d.key in taken)]
    rows: list[Notification] = []
    for draft in wanted:
        language = draft.recipient.language or settings.LANGUAGE_CODE
        rows.append(
            Notification(
                recipient=draft.recipient,
                kind=draft.kind,
                title=_render(draft.title, language)[:200],
                body=_render(draft.body, language),
                link=draft.link,
                key=draft.key,
            )
        )
    Notification.objects.bulk_create(rows)
    made = dict(zip((id(d) for d in wanted), rows, strict=True))
    channels = _channels_for_many((d.recipient, d.kind) for d in wanted)
    now = timezone.now()
    lease_until = now + _lease()
    deliveries = [
        Delivery(
            notification=notification,
            channel=channel,
            endpoint=endpoint,
            status=DeliveryStatus.SENDING,
            attempts=1,
            queued_at=now,
            lease_until=lease_until,
        )
        for draft, notification in zip(wanted, rows, strict=True)
        for channel, endpoint in channels[(draft.recipient.pk, draft.kind)]
    ]
    Delivery.objects.bulk_create(deliveries)
    return NotifyManyResult([made.get(id(d)) for d in drafts], deliveries)


def enqueue_deliveries(ids: Iterable[int]) -> None:
    """Hand deliveries to the task queue. A failure to enqueue is logged, not raised: the
    rows stay "queued" and deliveries_sweep hands them out again later."""
    from visitflow.notifications.tasks import deliver

    for delivery_id in ids:
        try:
            deliver.enqueue(delivery_id=delivery_id)
        except Exception:
            logger.exception("could not enqueue delivery %s", delivery_id)


# --- the delivery engine ------------------------------------------------------------------


def _claimable(now: datetime) -> Q:
    return (
        Q(status=DeliveryStatus.QUEUED)
        | Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        | Q(status=DeliveryStatus.SENDING, lease_until__lt=now)
    )


def _claim(delivery_id: int) -> Delivery | None:
    """Take the delivery for this worker: status "sending", a lease, one more attempt.
    None when it is not due, already sent, or another worker holds it."""
    now = timezone.now()
    with transaction.atomic():
        qs = Delivery.objects.filter(_claimable(now), pk=delivery_id).select_related(
            "notification__recipient", "endpoint"
        )
        if connection.features.has_select_for_update_skip_locked:
            # PostgreSQL: a row another worker is claiming right now is skipped, not
            # waited for. (SQLite takes the write lock at BEGIN IMMEDIATE instead.)
            qs = qs.select_for_update(skip_locked=True, of=("self",))
        delivery = qs.first()
        if delivery is None:
            return None
        lease_until = now + _lease()
        # Compare-and-set on what was read, so the claim holds on any database and
        # transaction mode, not only under the lock taken above.
        won = Delivery.objects.filter(
            pk=delivery.pk, status=delivery.status, attempts=delivery.attempts
        ).update(
            status=DeliveryStatus.SENDING,
            lease_until=lease_until,
            attempts=delivery.attempts + 1,
            updated=now,
        )
        if not won:
            return None
    delivery.status = DeliveryStatus.SENDING
    delivery.lease_until = lease_until
    delivery.attempts += 1
    return delivery


def _message(delivery: Delivery, *, for_group: bool) -> OutgoingMessage:
    notification = delivery.notification
    recipient = notification.recipient
    return OutgoingMessage(
        title=notification.title,
        body=notification.body,
        link=absolute_link(notification.link),
        recipient_name=str(recipient),
        language=recipient.language or settings.LANGUAGE_CODE,
        delivery_id=delivery.pk,
        for_group=for_group,
    )


def _send(delivery: Delivery) -> str:
    recipient = delivery.notification.recipient
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        if delivery.channel == Channel.EMAIL:
            return send_email(recipient.email, _message(delivery, for_group=False))
        endpoint = delivery.endpoint
        if endpoint is None:
            raise ChannelError(_("The bot was removed."), permanent=True)
        if not endpoint.is_active:
            raise ChannelError(_("The bot was switched off."), permanent=True)
        return post_to_bot(endpoint, _message(delivery, for_group=endpoint.team_id is not None))


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, ChannelError):
        return exc.message[:MAX_ERROR_CHARS]
    return f"{type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS]


def delivery_send(*, delivery_id: int) -> None:
    """Claim the delivery (lease), send it, record the outcome; never raises for a
    failed send. Does nothing if the delivery is not due or another worker holds it."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return
    _deliver(delivery)


def deliveries_send_claimed(deliveries: Iterable[Delivery]) -> None:
    """Send deliveries this worker claimed (notify_many), one after another, each
    outcome recorded before the next is sent: a worker killed mid-way leaves at most
    the one in flight to be sent again."""
    for delivery in deliveries:
        _deliver(delivery)


@contextmanager
def _outcome_transaction() -> Iterator[None]:
    """Where an outcome is recorded. On PostgreSQL it does not wait for the WAL flush
    (synchronous_commit off, this transaction only): the database server crashing in
    the next fraction of a second could forget that a message was sent, and it would
    be sent again after its lease, with the same delivery id. A worker crashing loses
    nothing. Waiting for the disk instead made every delivery cost a flush."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        yield


def _deliver(delivery: Delivery) -> None:
    """Send a delivery this worker holds and record the outcome if it still holds it."""
    attempt = delivery.attempts
    ours = Q(pk=delivery.pk, attempts=attempt) & Q(
        # The sweep may have queued it again after our lease ran out; if nobody has
        # claimed it since (same attempt number), our outcome still stands.
        status__in=[DeliveryStatus.SENDING, DeliveryStatus.QUEUED]
    )
    fields: dict[str, Any]
    try:
        _send(delivery)
    except Exception as exc:  # a failure is recorded, never allowed to stop the worker
        if not isinstance(exc, ChannelError):
            logger.exception("delivery %s failed unexpectedly", delivery.pk)
        permanent = isinstance(exc, ChannelError) and exc.permanent
        now = timezone.now()
        schedule = backoff_schedule()
        fields = {"lease_until": None, "last_error": _error_text(exc), "updated": now}
        if permanent or attempt >= max_attempts():
            fields.update(status=DeliveryStatus.FAILED, next_attempt_at=None)
        else:
            wait = schedule[min(attempt, len(schedule)) - 1]
            fields.update(
                status=DeliveryStatus.PENDING, next_attempt_at=now + timedelta(seconds=wait)
            )
    else:
        now = timezone.now()
        fields = {
            "status": DeliveryStatus.SENT,
            "sent_at": now,
            "lease_until": None,
            "next_attempt_at": None,
            "updated": now,
        }
    with _outcome_transaction():
        Delivery.objects.filter(ours).update(**fields)


def deliveries_sweep(*, now: datetime | None = None) -> int:
    """Queue again what is due and has no worker: retries whose time has come, claims
    whose lease ran out (the worker died), and queued rows no worker picked up within
    NOTIFICATION_REQUEUE_SECONDS (a lost task). Returns how many were queued."""
    now = now or timezone.now()
    lost_before = now - timedelta(seconds=settings.NOTIFICATION_REQUEUE_SECONDS)
    due = (
        Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        | Q(status=DeliveryStatus.SENDING, lease_until__lt=now)
        | Q(status=DeliveryStatus.QUEUED, queued_at__lt=lost_before)
    )
    with transaction.atomic():
        ids = list(
            Delivery.objects.filter(due)
            .order_by("next_attempt_at", "id")
            .values_list("pk", flat=True)[:SWEEP_BATCH]
        )
        if not ids:
            return 0
        # The condition again: a worker may have claimed one of them in between.
        count = Delivery.objects.filter(due, pk__in=ids).update(
            status=DeliveryStatus.QUEUED, queued_at=now, updated=now
        )
        transaction.on_commit(lambda: enqueue_deliveries(ids))
    return count


def delivery_retry(*, actor: User, delivery: Delivery) -> Delivery:
    """An administrator's "retry now": a failed or waiting delivery goes out at once."""
    with transaction.atomic():
        now = timezone.now()
        updated = Delivery.objects.filter(pk=delivery.pk, status__in=RETRYABLE_BY_HAND).update(
            status=DeliveryStatus.QUEUED, queued_at=now, next_attempt_at=now, updated=now
        )
        if not updated:
            raise ApplicationError(
                _("Only a failed or waiting delivery can be retried; this one is “%(status)s”.")
                % {"status": delivery.get_status_display()}
            )
        delivery.refresh_from_db()
        log_activity(actor=actor, action="delivery.retried", obj=delivery)
        transaction.on_commit(lambda: enqueue_deliveries([delivery.pk]))
    return delivery


# --- inbox ----------------------------------------------------------------------------------
# Reading is a person's own business, not an audited change: no activity rows here.


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- preferences ----------------------------------------------------------------------------


def preferences_update(*, actor: User, user: User, choices: dict[str, ChannelChoice]) -> None:
    """Save a person's channel choices for the kinds given (others keep theirs)."""
    unknown = sorted(set(choices) - set(NotificationKind.values))
    if unknown:
        raise ApplicationError(
            _("Unknown kind of notification: %(kinds)s.") % {"kinds": ", ".join(unknown)},
            field_errors={"kind": [_("Unknown kind of notification.")]},
        )
    with transaction.atomic():
        existing = {p.kind: p for p in NotificationPreference.objects.filter(user=user)}
        changes: dict[str, Any] = {}
        for kind, choice in choices.items():
            row = existing.get(kind) or NotificationPreference(user=user, kind=kind)
            values = (choice.email, choice.team_webhook, choice.personal_webhook)
            if row.pk and (row.email, row.team_webhook, row.personal_webhook) == values:
                continue
            row.email, row.team_webhook, row.personal_webhook = values
            row.save()
            changes[kind] = [
                "",
                ",".join(
                    n for n, v in zip(("email", "team", "personal"), values, strict=True) if v
                ),
            ]
        if changes:
            log_activity(
                actor=actor, action="notification_preferences.updated", obj=user, changes=changes
            )


# --- webhooks ---------------------------------------------------------------------------

WEBHOOK_FIELDS = ["kind", "url", "secret", "is_active"]


def _check_webhook(endpoint: WebhookEndpoint) -> None:
    validate_model(endpoint, exclude=["last_test_message"])
    if not host_allowed(endpoint.url):
        message = _("Use the address the bot's settings give you; allowed hosts: %(hosts)s.") % {
            "hosts": ", ".join(settings.NOTIFICATION_WEBHOOK_HOSTS)
        }
        raise ApplicationError(message, field_errors={"url": [message]})
    if endpoint.kind == WebhookKind.DINGTALK and not endpoint.secret:
        message = _("A DingTalk robot needs its signing secret (加签, starts with SEC).")
        raise ApplicationError(message, field_errors={"secret": [message]})
    if endpoint.kind == WebhookKind.WECOM and endpoint.secret:
        message = _("A WeCom group bot has no signing secret: its key is part of the address.")
        raise ApplicationError(message, field_errors={"secret": [message]})
    owner = Q(team=endpoint.team) if endpoint.team_id else Q(user=endpoint.user)
    if WebhookEndpoint.objects.filter(owner).exclude(pk=endpoint.pk).exists():
        message = (
            _("This team already has a bot.") if endpoint.team_id else _("You already have a bot.")
        )
        raise ApplicationError(message, field_errors={"__all__": [message]})


def webhook_create(
    *,
    actor: User,
    kind: str,
    url: str,
    secret: str = "",
    team: Team | None = None,
    user: User | None = None,
    is_active: bool = True,
) -> WebhookEndpoint:
    if (team is None) == (user is None):
        raise ApplicationError(_("A bot belongs to a team or to one person."))
    endpoint = WebhookEndpoint(
        kind=kind, url=url.strip(), secret=secret.strip(), team=team, user=user, is_active=is_active
    )
    with transaction.atomic():
        _check_webhook(endpoint)
        endpoint.save()
        log_activity(
            actor=actor,
            action="webhook.created",
            obj=endpoint,
            changes={"kind": ["", kind], "url": ["", _masked_url(endpoint.url)]},
        )
    return endpoint


def _masked_url(url: str) -> str:
    # The address is a credential (WeCom's key, DingTalk's token): the log keeps its host.
    head, _sep, _rest = url.partition("?")
    return head[:60] + ("?…" if _sep else "")


def webhook_update(
    *, actor: User, endpoint: WebhookEndpoint, data: dict[str, Any]
) -> WebhookEndpoint:
    """Change kind, url, secret or is_active; an empty secret on an update keeps the old one
    only when `keep_secret` is passed (forms never show a stored secret)."""
    keep_secret = data.pop("keep_secret", False)
    unknown = set(data) - set(WEBHOOK_FIELDS)
    if unknown:
        raise ValueError(f"not webhook fields: {sorted(unknown)}")
    with transaction.atomic():
        fresh = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        before = snapshot(fresh, ["kind", "is_active"])
        old_url = fresh.url
        for field, value in data.items():
            if field == "secret" and keep_secret and not value:
                continue
            setattr(fresh, field, value.strip() if isinstance(value, str) else value)
        _check_webhook(fresh)
        fresh.save()
        changes = diff_snapshots(before, snapshot(fresh, ["kind", "is_active"]))
        if fresh.url != old_url:
            changes["url"] = [_masked_url(old_url), _masked_url(fresh.url)]
        if changes:
            log_activity(actor=actor, action="webhook.updated", obj=fresh, changes=changes)
    return fresh


def webhook_delete(*, actor: User, endpoint: WebhookEndpoint) -> None:
    with transaction.atomic():
        log_activity(actor=actor, action="webhook.deleted", obj=endpoint)
        endpoint.delete()


@dataclass(frozen=True)
class WebhookTestResult:
    ok: bool
    message: str


def webhook_test(*, actor: User, endpoint: WebhookEndpoint) -> WebhookTestResult:
    """Send a test message now (not through the queue) and keep the bot's answer on the
    endpoint, so the settings page shows whether it works."""
    with translation.override(actor.language or settings.LANGUAGE_CODE):
        message = OutgoingMessage(
            title=_("VisitFlow test message"),
            body=_("If you can read this, VisitFlow can post reminders here."),
            link=absolute_link("/notifications/"),
            recipient_name=str(actor),
            language=actor.language or settings.LANGUAGE_CODE,
        )
        try:
            answer = post_to_bot(endpoint, message)
        except ChannelError as exc:
            result = WebhookTestResult(False, exc.message[:500])
        else:
            result = WebhookTestResult(
                True, (_("Sent. The bot answered: %(answer)s") % {"answer": answer})[:500]
            )
    with transaction.atomic():
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            last_test_at=timezone.now(), last_test_ok=result.ok, last_test_message=result.message
        )
        endpoint.refresh_from_db(fields=["last_test_at", "last_test_ok", "last_test_message"])
        log_activity(
            actor=actor,
            action="webhook.tested",
            obj=endpoint,
            changes={"result": ["", "ok" if result.ok else result.message[:200]]},
        )
    return result
