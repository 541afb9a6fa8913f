import factory

from visitflow.accounts.models import Role, Team, User
from visitflow.accounts.services import user_create

PASSWORD = "test-pass-123"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"销售{n}组")


def make_user(
    *,
    role: str = Role.SALES,
    team: Team | None = None,
    username: str | None = None,
    **extra: object,
) -> User:
    """A user built through the service, so the role group is attached as in real life."""
    make_user.counter += 1  # type: ignore[attr-defined]
    n = make_user.counter  # type: ignore[attr-defined]
    return user_create(
        username=username or f"{role}{n}",
        password=PASSWORD,
        display_name=extra.pop("display_name", f"{role}-{n}"),  # type: ignore[arg-type]
        role=role,
        team=team,
        **extra,  # type: ignore[arg-type]
    )


make_user.counter = 0  # type: ignore[attr-defined]


def make_team(*, manager_username: str | None = None, name: str | None = None) -> Team:
    """A team with its sales manager (the supervisor of its members)."""
    team = TeamFactory(**({"name": name} if name else {}))
    manager = make_user(role=Role.SALES_MANAGER, team=team, username=manager_username)
    team.manager = manager
    team.save(update_fields=["manager"])
    return team
