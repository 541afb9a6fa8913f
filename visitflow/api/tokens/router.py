from django.http import HttpRequest
from ninja import Router, Status

from visitflow.api.common import ObjectId, actor
from visitflow.api.models import ApiToken
from visitflow.api.selectors import token_get_for_user, token_list_for_user
from visitflow.api.services import token_create, token_revoke
from visitflow.api.tokens.schemas import TokenCreatedOut, TokenIn, TokenOut

router = Router(tags=["tokens"])


@router.get("/tokens", response=list[TokenOut])
def token_list(request: HttpRequest) -> list[ApiToken]:
    return list(token_list_for_user(actor(request)))


@router.post("/tokens", response={201: TokenCreatedOut})
def token_new(request: HttpRequest, payload: TokenIn) -> Status[TokenCreatedOut]:
    token, raw = token_create(user=actor(request), name=payload.name)
    data = TokenOut.from_orm(token).model_dump()
    return Status(201, TokenCreatedOut(**data, token=raw))


@router.post("/tokens/{token_id}/revoke", response=TokenOut)
def token_revoke_view(request: HttpRequest, token_id: ObjectId) -> ApiToken:
    user = actor(request)
    return token_revoke(actor=user, token=token_get_for_user(user, token_id))
