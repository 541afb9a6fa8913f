"""The party's forms on their link, and the host's answer. Times are typed in the
company's time zone (the page says so)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from visitflow.core.validators import normalize_phone
from visitflow.visits.forms import DATETIME_FORMATS, DATETIME_WIDGET
from visitflow.visits.models import LegDirection, TravelLeg, TravelMode, Visitor


class LegProposalForm(forms.Form):
    direction = forms.ChoiceField(label=_("Direction"), choices=LegDirection.choices)
    mode = forms.ChoiceField(label=_("Travel by"), choices=TravelMode.choices)
    number = forms.CharField(label=_("Flight / train number"), max_length=20, required=False)
    from_place = forms.CharField(label=_("From"), max_length=100, required=False)
    to_place = forms.CharField(label=_("To (airport / station)"), max_length=100, required=False)
    departs_at = forms.DateTimeField(
        label=_("Departure"), required=False, widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS
    )
    arrives_at = forms.DateTimeField(
        label=_("Arrival"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS
    )

    def __init__(self, *args: Any, leg: TravelLeg | None = None, **kwargs: Any) -> None:
        if leg is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(leg, name)
                for name in (
                    "direction",
                    "mode",
                    "number",
                    "from_place",
                    "to_place",
                    "departs_at",
                    "arrives_at",
                )
            }
        super().__init__(*args, **kwargs)

    def clean_number(self) -> str:
        return (self.cleaned_data.get("number") or "").strip().upper().replace(" ", "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        departs, arrives = data.get("departs_at"), data.get("arrives_at")
        if departs and arrives and arrives <= departs:
            self.add_error("arrives_at", _("The arrival must be after the departure."))
        return data


class VisitorProposalForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    title = forms.CharField(label=_("Title"), max_length=100, required=False)
    mobile = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    features = forms.CharField(
        label=_("How we recognise you"),
        max_length=300,
        required=False,
        help_text=_("For example: glasses, grey suit, red suitcase."),
    )

    def __init__(self, *args: Any, visitor: Visitor | None = None, **kwargs: Any) -> None:
        if visitor is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": visitor.name,
                "title": visitor.title,
                "mobile": visitor.mobile_display,
                "features": visitor.features,
            }
        super().__init__(*args, **kwargs)

    def clean_mobile(self) -> str:
        # normalize_phone raises a ValidationError already in the reader's language.
        return normalize_phone(self.cleaned_data.get("mobile") or "")


class RejectForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer to the visitor"),
        max_length=300,
        help_text=_("They read it on their link."),
    )
