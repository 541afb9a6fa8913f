"""The personal calendar feed token: create (or rotate), revoke, and find it by its value."""

import secrets

from django.db import transaction
from django.utils import timezone

from visitflow.accounts.models import CalendarFeedToken, User
from visitflow.core.services import log_activity


def calendar_feed_token_active(user: User) -> CalendarFeedToken | None:
    return CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).first()


def calendar_feed_user(token: str) -> User | None:
    """The active user a feed token belongs to; None when unknown, revoked or inactive."""
    if not token or len(token) > 64:
        return None
    feed = (
        CalendarFeedToken.objects.filter(token=token, revoked_at__isnull=True)
        .select_related("user", "user__team")
        .first()
    )
    if feed is None or not feed.user.is_active:
        return None
    return feed.user


@transaction.atomic
def calendar_feed_token_create(*, user: User) -> CalendarFeedToken:
    """A new secret feed URL; an existing one stops working (rotation)."""
    # Lock the user's row so two clicks cannot both pass the one-active-token rule.
    User.objects.select_for_update().filter(pk=user.pk).first()
    now = timezone.now()
    for old in CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True):
        old.revoked_at = now
        old.save(update_fields=["revoked_at"])
        log_activity(actor=user, action="calendar_feed.revoked", obj=old)
    feed = CalendarFeedToken.objects.create(user=user, token=secrets.token_urlsafe(32))
    log_activity(actor=user, action="calendar_feed.created", obj=feed)
    return feed


@transaction.atomic
def calendar_feed_token_revoke(*, user: User) -> int:
    """Stop the user's feed URL; returns how many tokens were revoked (0 or 1)."""
    revoked = 0
    for feed in CalendarFeedToken.objects.select_for_update().filter(
        user=user, revoked_at__isnull=True
    ):
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
        log_activity(actor=user, action="calendar_feed.revoked", obj=feed)
        revoked += 1
    return revoked
