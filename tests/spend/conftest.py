from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.english import org_in_english, speak_english
from tests.factories.spend import make_standard
from tests.factories.visits import make_visit
from visitflow.spend.models import SpendCategory


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Iterator[None]:
    """Messages are asserted in their English source."""
    yield from speak_english(settings)


@pytest.fixture(autouse=True)
def _receipts(settings: Any, tmp_path: Path) -> Path:
    """Receipts go to a temporary folder, never into var/."""
    settings.SPEND_RECEIPT_ROOT = tmp_path / "receipts"
    return settings.SPEND_RECEIPT_ROOT


@pytest.fixture
def org(org: dict[str, Any]) -> dict[str, Any]:
    return org_in_english(org)


@pytest.fixture
def spend(org: dict[str, Any]) -> dict[str, Any]:
    """Level A standards: banquet ¥300 a head (manager up to 20% over), lunch ¥80, a
    hotel room-night ¥450; and a visit hosted by east_sales in December 2026."""
    finance = org["finance"]
    standards = {
        "banquet": make_standard(actor=finance, amount="300.00"),
        "lunch": make_standard(actor=finance, category=SpendCategory.MEAL_LUNCH, amount="80.00"),
        "hotel": make_standard(actor=finance, category=SpendCategory.HOTEL_NIGHT, amount="450.00"),
    }
    visit = make_visit(actor=org["east_sales"])
    return {**org, **standards, "visit": visit}
