import os

os.environ.setdefault("VISITFLOW_TESTING", "1")

import pytest
from django.test import Client

from tests.factories.people import make_team, make_user
from visitflow.accounts.models import Role


@pytest.fixture(autouse=True)
def _fast_hashing(settings: object) -> None:
    # Argon2 is for production; tests hash with MD5 to stay fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture
def org(db: object) -> dict[str, object]:
    """Two sales teams (east, south) with a manager and two salespeople each, plus one
    person in every other role."""
    east = make_team(name="华东销售部")
    south = make_team(name="华南销售部")
    people = {
        "east": east,
        "south": south,
        "east_manager": east.manager,
        "south_manager": south.manager,
        "east_sales": make_user(role=Role.SALES, team=east),
        "east_sales2": make_user(role=Role.SALES, team=east),
        "south_sales": make_user(role=Role.SALES, team=south),
        "director": make_user(role=Role.DIRECTOR),
        "general_manager": make_user(role=Role.GENERAL_MANAGER),
        "reception": make_user(role=Role.RECEPTION),
        "driver": make_user(role=Role.DRIVER),
        "finance": make_user(role=Role.FINANCE),
        "admin": make_user(role=Role.ADMIN),
    }
    return people


def login(user: object) -> Client:
    """A client logged in as `user` (force_login: the log-in form has its own tests)."""
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    from django.core.cache import cache

    cache.clear()
