from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from visitflow.accounts.models import Role, User
from visitflow.logistics.models import MessageChannel, Station, Vehicle
from visitflow.logistics.selectors import escort_choices


class TransferPlanForm(forms.Form):
    station = forms.ModelChoiceField(
        label=_("Station or airport"), queryset=Station.objects.filter(is_active=True)
    )
    vehicle = forms.ModelChoiceField(
        label=_("Company car"),
        queryset=Vehicle.objects.filter(is_active=True),
        required=False,
        empty_label=_("No company car (send the station's advice)"),
    )
    driver = forms.ModelChoiceField(
        label=_("Driver"),
        queryset=User.objects.filter(role=Role.DRIVER, is_active=True),
        required=False,
        empty_label=_("The escort drives"),
    )
    escort = forms.ModelChoiceField(label=_("Escort"), queryset=escort_choices())
    escort_reason = forms.CharField(
        label=_("Why someone other than the host escorts"), max_length=300, required=False
    )
    meeting_point = forms.CharField(label=_("Meeting point"), max_length=200, required=False)

    def __init__(self, *args: Any, offered: QuerySet[Vehicle] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if offered is not None:
            # Only free cars with enough seats are offered; a car taken meanwhile is still
            # accepted here so the booking engine can name the clash.
            field = cast(forms.ModelChoiceField, self.fields["vehicle"])
            field.choices = [
                ("", field.empty_label),
                *((car.pk, f"{car} · {car.seats}") for car in offered),
            ]


class TransferMessageForm(forms.Form):
    channel = forms.ChoiceField(label=_("Sent by"), choices=MessageChannel.choices)
    language = forms.ChoiceField(
        label=_("Language"), choices=[("zh-hans", "中文"), ("en", "English")]
    )
    text = forms.CharField(
        label=_("Message"), max_length=2000, widget=forms.Textarea(attrs={"rows": 6})
    )
