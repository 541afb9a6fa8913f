from collections.abc import Iterator
from typing import Any

import pytest

from tests.english import org_in_english, speak_english


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Iterator[None]:
    """Messages are asserted in their English source."""
    yield from speak_english(settings)


@pytest.fixture
def org(org: dict[str, Any]) -> dict[str, Any]:
    return org_in_english(org)
