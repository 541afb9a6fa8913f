from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from visitflow.accounts.forms import ApiTokenForm, LanguageForm
from visitflow.accounts.services import user_set_language
from visitflow.api.selectors import token_get_for_user, token_list_for_user
from visitflow.api.services import token_create as token_create_service
from visitflow.api.services import token_revoke as token_revoke_service
from visitflow.core.exceptions import ApplicationError
from visitflow.core.http import AuthenticatedHttpRequest


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; remembered on the user (and in a cookie before login)."""
    form = LanguageForm(request.POST)
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    response = redirect(target)
    if not form.is_valid():
        messages.error(request, _("Unknown language."))
        return response
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        user_set_language(user=request.user, language=language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    return response


@login_required
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/profile.html",
        {"tokens": token_list_for_user(request.user), "token_form": ApiTokenForm()},
    )


@login_required
@require_POST
def token_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            _token, raw = token_create_service(user=request.user, name=form.cleaned_data["name"])
        except ApplicationError as exc:
            form.add_error("name", exc.message)
        else:
            return render(
                request,
                "accounts/profile.html",
                {
                    "tokens": token_list_for_user(request.user),
                    "token_form": ApiTokenForm(),
                    "new_token": raw,
                },
            )
    return render(
        request,
        "accounts/profile.html",
        {"tokens": token_list_for_user(request.user), "token_form": form},
        status=422,
    )


@login_required
@require_POST
def token_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    token = token_get_for_user(request.user, pk)
    token_revoke_service(actor=request.user, token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("accounts:profile")
