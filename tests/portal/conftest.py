from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from visitflow.accounts.models import User


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Iterator[None]:
    """Messages are asserted in their English source (the catalogue is filled later)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def org(org: dict[str, Any]) -> dict[str, Any]:
    User.objects.update(language="en")
    for value in org.values():
        if isinstance(value, User):
            value.language = "en"
    return org
