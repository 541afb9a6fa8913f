"""Forms for the resources reception keeps. They check the fields themselves; the
services check the rules (seats, offices never toured, duplicates) and their messages
land next to the field (core.forms.apply_application_error)."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from visitflow.accounts.models import User
from visitflow.core.forms import ServiceModelForm
from visitflow.logistics.models import GiftItem, Room, Station, Vehicle
from visitflow.logistics.selectors import driver_choices
from visitflow.logistics.validators import normalize_plate


class DriverChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return str(obj)


class ResourceForm(ServiceModelForm):
    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or []}


class VehicleForm(ResourceForm):
    class Meta:
        model = Vehicle
        fields = ["plate", "model_name", "seats", "default_driver"]
        help_texts = {"plate": _("For example 粤B·12345, or 粤B·D12345 for a new-energy car.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        driver = DriverChoiceField(
            label=_("default driver"), queryset=driver_choices(), required=False
        )
        driver.empty_label = _("No default driver")
        self.fields["default_driver"] = driver
        # The model's validator would repeat the message after clean_plate; one is enough.
        cast(forms.CharField, self.fields["plate"]).validators = []
        self.fields["seats"].widget.attrs["min"] = 2

    def clean_plate(self) -> str:
        try:
            return normalize_plate(self.cleaned_data["plate"])
        except ValidationError as exc:
            raise ValidationError(exc.messages[0], code="invalid_plate") from exc


class RoomForm(ResourceForm):
    class Meta:
        model = Room
        fields = ["name", "kind", "capacity", "tour_allowed"]
        help_texts = {"tour_allowed": _("Offices are never shown to visitors (SOP 5.1).")}


class StationForm(ResourceForm):
    class Meta:
        model = Station
        fields = [
            "name",
            "name_en",
            "kind",
            "travel_minutes",
            "no_car_advice",
            "no_car_advice_en",
        ]
        widgets = {
            "no_car_advice": forms.Textarea(attrs={"rows": 3}),
            "no_car_advice_en": forms.Textarea(attrs={"rows": 3}),
        }


class GiftItemForm(ResourceForm):
    """Name and value only: stock changes through gift issues and stock movements."""

    class Meta:
        model = GiftItem
        fields = ["name", "unit_value"]
