from django.db.models import QuerySet
from django.http import Http404

from visitflow.accounts.models import User
from visitflow.api.models import ApiToken


def token_list_for_user(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created")


def token_get_for_user(user: User, pk: int) -> ApiToken:
    token = ApiToken.objects.filter(user=user, pk=pk).first()
    if token is None:
        raise Http404
    return token
