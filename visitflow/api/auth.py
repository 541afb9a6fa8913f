"""Who is calling: a personal token (scripts, integrations) or the browser's session."""

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone, translation
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from visitflow.accounts.models import User
from visitflow.api.models import ApiToken, hash_token

# Writing last_used on every call would turn each read into a write; a minute is
# precise enough to tell a live token from a forgotten one.
LAST_USED_PRECISION = timedelta(minutes=1)
# Our tokens are ~46 characters; anything far longer is not one of ours.
MAX_TOKEN_LENGTH = 200


def activate_user_language(request: HttpRequest, user: User) -> None:
    """Token requests skip the session, so UserLanguageMiddleware saw an anonymous user."""
    supported = {code for code, _name in settings.LANGUAGES}
    language = user.language if user.language in supported else settings.LANGUAGE_CODE
    translation.activate(language)
    request.LANGUAGE_CODE = translation.get_language()


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User:
        token = token.strip()
        if not token or len(token) > MAX_TOKEN_LENGTH:
            raise AuthenticationError
        api_token = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=hash_token(token), revoked_at__isnull=True)
            .first()
        )
        # A token that was sent but is wrong is a 401, never a fall-back to the session.
        if api_token is None or not api_token.user.is_active:
            raise AuthenticationError
        now = timezone.now()
        if api_token.last_used is None or now - api_token.last_used >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used=now)
        user = api_token.user
        request.user = user
        activate_user_language(request, user)
        return user


bearer_auth = BearerTokenAuth()
# The browser's session; ninja checks the CSRF token on unsafe methods.
session_auth = SessionAuth(csrf=True)
