from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from visitflow.accounts.models import User
from visitflow.api.models import TOKEN_PREFIX_LENGTH, ApiToken, hash_token, new_raw_token
from visitflow.core.exceptions import ApplicationError
from visitflow.core.services import log_activity

MAX_ACTIVE_TOKENS = 20


@transaction.atomic
def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Make a personal token; the raw value is returned once and never stored."""
    name = name.strip()
    if not name:
        raise ApplicationError(_("Give the token a name."), field_errors={"name": [_("Required.")]})
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise ApplicationError(_("You have too many active tokens; revoke one first."))
    raw = new_raw_token()
    token = ApiToken.objects.create(
        user=user, name=name, prefix=raw[: TOKEN_PREFIX_LENGTH + 3], key_hash=hash_token(raw)
    )
    log_activity(actor=user, action="api_token.created", obj=token)
    return token, raw


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk:
        raise ApplicationError(_("This is not your token."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        log_activity(actor=actor, action="api_token.revoked", obj=token)
    return token
