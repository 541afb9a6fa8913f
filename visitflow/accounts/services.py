"""Writes to people and teams."""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from visitflow.accounts.models import Language, Role, Team, User
from visitflow.accounts.roles import ROLE_PERMISSIONS
from visitflow.core.exceptions import ApplicationError
from visitflow.core.services import log_activity, validate_model
from visitflow.core.validators import normalize_phone


def role_groups_sync() -> None:
    """One group per role with the role's model permissions (run after every migrate)."""
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        perms = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is not None:
                perms.append(perm)
        group.permissions.set(perms)


def _sync_group(user: User) -> None:
    role_names = [r.value for r in Role]
    user.groups.remove(*Group.objects.filter(name__in=role_names).exclude(name=user.role))
    group, _created = Group.objects.get_or_create(name=user.role)
    user.groups.add(group)


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    display_name: str,
    role: str = Role.SALES,
    team: Team | None = None,
    mobile: str = "",
    email: str = "",
    language: str = Language.ZH_HANS,
    actor: User | None = None,
) -> User:
    try:
        mobile = normalize_phone(mobile)
    except ValidationError as exc:
        raise ApplicationError(exc.messages[0], field_errors={"mobile": exc.messages}) from exc
    user = User(
        username=username,
        display_name=display_name,
        role=role,
        team=team,
        mobile=mobile,
        email=email,
        language=language,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    validate_model(user, exclude=["password"])
    user.save()
    _sync_group(user)
    log_activity(actor=actor, action="user.created", obj=user)
    return user


@transaction.atomic
def user_set_role(*, actor: User | None, user: User, role: str) -> User:
    if role not in Role.values:
        raise ApplicationError(_("Unknown role."))
    user.role = role
    user.is_staff = user.is_superuser = role == Role.ADMIN
    user.save(update_fields=["role", "is_staff", "is_superuser"])
    _sync_group(user)
    log_activity(actor=actor, action="user.role_changed", obj=user, changes={"role": ["", role]})
    return user


def user_set_language(*, user: User, language: str) -> User:
    if language not in Language.values:
        raise ApplicationError(_("Unknown language."))
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


@transaction.atomic
def team_create(*, name: str, manager: User | None = None, actor: User | None = None) -> Team:
    team = Team(name=name, manager=manager)
    validate_model(team)
    team.save()
    log_activity(actor=actor, action="team.created", obj=team)
    return team
