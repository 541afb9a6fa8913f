from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from visitflow.logistics.models import GiftItem
from visitflow.tradeshows.forms import Form, PersonChoiceField
from visitflow.tradeshows.models import Grade, TradeShow

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CheckInForm(Form):
    code = forms.CharField(
        label=_("check-in code"),
        max_length=300,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "inputmode": "text"}
        ),
    )


class LeadForm(Form):
    """A business card, typed in (or read, then checked)."""

    name = forms.CharField(label=pgettext_lazy("person", "name"), max_length=100, required=False)
    company = forms.CharField(label=_("company"), max_length=200, required=False)
    title = forms.CharField(label=_("title"), max_length=100, required=False)
    mobile = forms.CharField(
        label=_("mobile phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    phone = forms.CharField(label=_("phone"), max_length=40, required=False)
    email = forms.CharField(
        label=_("e-mail"),
        max_length=254,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "email"}),
    )
    address = forms.CharField(label=_("address"), max_length=300, required=False)
    website = forms.CharField(label=_("website"), max_length=200, required=False)
    interest = forms.CharField(label=_("interest (products)"), max_length=300, required=False)
    grade = forms.ChoiceField(label=_("grade"), choices=[("", "—"), *Grade.choices], required=False)
    notes = forms.CharField(
        label=_("notes"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AttendForm(Form):
    staff = PersonChoiceField(label=_("attended by"), queryset=None)

    def __init__(self, *args: Any, show: TradeShow, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = show.team.order_by(  # type: ignore[attr-defined]
            "display_name", "username"
        )


class RecordForm(Form):
    interest = forms.CharField(label=_("interest (products)"), max_length=300, required=False)
    grade = forms.ChoiceField(label=_("grade"), choices=[("", "—"), *Grade.choices], required=False)
    notes = forms.CharField(
        label=_("notes"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SeeOffForm(Form):
    brochures_given = forms.CharField(label=_("brochures given"), max_length=300, required=False)
    gift_item = forms.ModelChoiceField(
        label=_("gift given"), queryset=GiftItem.objects.none(), required=False
    )
    gift_quantity = forms.IntegerField(
        label=_("how many gifts"), min_value=0, max_value=100, required=False, initial=0
    )
    invited_to_company = forms.BooleanField(label=_("invited to visit the company"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["gift_item"].queryset = GiftItem.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        ).order_by("name")


class CompanyVisitForm(Form):
    starts_at = forms.DateTimeField(label=_("arrives"), widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(label=_("leaves"), widget=DATETIME_WIDGET)
