"""Chinese licence plates: 粤B·12345, 粤B12345, and new-energy plates 粤B·D12345."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
# Ordinary plates: province, city letter, five letters/digits (I and O are not used).
ORDINARY = re.compile(rf"^[{PROVINCES}][A-HJ-NP-Z][A-HJ-NP-Z0-9]{{4}}[A-HJ-NP-Z0-9挂学警港澳]$")
# New-energy plates: six characters after the city letter, starting or ending with D/F.
NEW_ENERGY = re.compile(rf"^[{PROVINCES}][A-HJ-NP-Z](?:[DF][A-HJ-NP-Z0-9]\d{{4}}|\d{{5}}[DF])$")


def normalize_plate(value: str) -> str:
    """粤b 12345 → 粤B·12345: upper case, the separator dot after the city letter."""
    compact = re.sub(r"[\s·.\-•]", "", value or "").upper()
    if not (ORDINARY.match(compact) or NEW_ENERGY.match(compact)):
        raise ValidationError(
            _("“%(value)s” is not a Chinese licence plate (e.g. 粤B·12345 or 粤B·D12345)."),
            code="invalid_plate",
            params={"value": value},
        )
    return f"{compact[:2]}·{compact[2:]}"


def validate_plate(value: str) -> None:
    normalize_plate(value)
