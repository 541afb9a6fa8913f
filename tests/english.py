"""For test folders that assert messages in their English source (the Chinese catalogue
is filled after the code): the active language and everyone in `org` speak English."""

from collections.abc import Iterator
from typing import Any

from django.utils import translation

from visitflow.accounts.models import User


def speak_english(settings: Any) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def org_in_english(org: dict[str, Any]) -> dict[str, Any]:
    User.objects.update(language="en")
    for value in org.values():
        if isinstance(value, User):
            value.language = "en"
    return org
