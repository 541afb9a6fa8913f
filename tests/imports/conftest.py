from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from visitflow.accounts.models import User


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Iterator[None]:
    """Messages are asserted in their English source."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _import_root(settings: Any, tmp_path: Path) -> None:
    settings.IMPORT_ROOT = tmp_path / "imports"


@pytest.fixture
def org(org: dict[str, Any]) -> dict[str, Any]:
    User.objects.update(language="en")
    for value in org.values():
        if isinstance(value, User):
            value.language = "en"
    return org
