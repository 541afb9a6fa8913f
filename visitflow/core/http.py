"""Request types for annotations only: what middleware and login_required guarantee.

Django's HttpRequest says `user` may be anonymous and knows nothing of django-htmx's
`request.htmx`. A view behind `login_required` takes an `AuthenticatedHttpRequest`,
so mypy knows `request.user` is a `User` (the pattern django-stubs and django-htmx
document). No request is ever an instance of these classes.
"""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from visitflow.accounts.models import User


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    user: User
