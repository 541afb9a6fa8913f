from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from visitflow.accounts.models import User
from visitflow.core.forms import ServiceModelForm
from visitflow.core.validators import normalize_phone
from visitflow.customers.models import Contact, Customer, CustomerSource
from visitflow.customers.permissions import can_choose_owner
from visitflow.customers.selectors import level_choices, owner_choices_for_user
from visitflow.customers.services import CONTACT_FIELDS


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return str(obj)


class CustomerForm(ServiceModelForm):
    """Register or edit a customer. A close name match asks for confirmation (查重)."""

    confirm_similar = forms.BooleanField(
        label=_("Yes, this is a different company"), required=False
    )

    class Meta:
        model = Customer
        fields = [
            "name",
            "short_name",
            "level",
            "owner",
            "industry",
            "region",
            "city",
            "address",
            "source",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        level_field = cast(forms.ModelChoiceField, self.fields["level"])
        level_field.queryset = level_choices()
        # No silent default: a customer left at the first level would become a VIP.
        level_field.empty_label = _("Choose a level")
        cast(forms.ChoiceField, self.fields["source"]).choices = [
            ("", _("Not specified")),
            *CustomerSource.choices,
        ]
        if can_choose_owner(user):
            # Left empty: the customer stays with its owner (or, when new, goes to you).
            self.fields["owner"] = OwnerChoiceField(
                label=_("Owner"), queryset=owner_choices_for_user(user), required=False
            )
            if not self.instance.pk:
                self.fields["owner"].initial = user.pk
        else:
            del self.fields["owner"]
        self.fields["name"].widget.attrs.update({"autocomplete": "off", "maxlength": 200})
        if self.instance.pk:
            for name in self.CONTACT_FIELDS:
                del self.fields[name]
        self.similar: list[Customer] = []

    # A new customer is usually registered with the person who called: the primary contact.
    CONTACT_FIELDS = ("contact_name", "contact_title", "contact_mobile")
    contact_name = forms.CharField(label=_("Contact name"), max_length=100, required=False)
    contact_title = forms.CharField(label=_("Contact title"), max_length=100, required=False)
    contact_mobile = forms.CharField(label=_("Contact mobile phone"), max_length=30, required=False)

    def clean_contact_mobile(self) -> str:
        return normalize_phone(self.cleaned_data.get("contact_mobile", ""))

    def clean(self) -> dict[str, Any]:
        data = cast("dict[str, Any]", super().clean())  # ModelForm.clean returns cleaned_data
        # Raw input: a mistyped phone still counts as "a contact was meant".
        has_contact_detail = self.data.get("contact_mobile") or self.data.get("contact_title")
        if has_contact_detail and not data.get("contact_name"):
            self.add_error("contact_name", _("Give the contact's name too."))
        return data

    def customer_data(self) -> dict[str, Any]:
        skip = {"confirm_similar", *self.CONTACT_FIELDS}
        return {k: v for k, v in self.cleaned_data.items() if k not in skip}

    def primary_contact_data(self) -> dict[str, str] | None:
        if not self.cleaned_data.get("contact_name"):
            return None
        return {
            "name": self.cleaned_data["contact_name"],
            "title": self.cleaned_data.get("contact_title", ""),
            "mobile": self.cleaned_data.get("contact_mobile", ""),
        }


class CustomerFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    level = forms.ChoiceField(label=_("Level"), required=False)
    owner = forms.TypedChoiceField(label=_("Owner"), required=False, coerce=int, empty_value=None)
    # A free value: the offered cities are cached and may lag behind a new customer's city.
    city = forms.CharField(label=_("City"), required=False, max_length=50, widget=forms.Select)
    sort = forms.CharField(required=False, max_length=20)
    archived = forms.BooleanField(label=_("Archived"), required=False)

    def __init__(
        self,
        *args: Any,
        levels: list[tuple[str, str]],
        owners: list[tuple[int, str]],
        cities: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["level"]).choices = [("", _("All levels")), *levels]
        cast(forms.ChoiceField, self.fields["owner"]).choices = [("", _("All owners")), *owners]
        city_options = [("", _("All cities"))] + [(c, c) for c in cities]
        current = self.data.get("city") if self.is_bound else None
        if current and current not in cities:
            city_options.append((current, current))
        self.fields["city"].widget.choices = city_options
        for name in ("level", "owner", "city"):
            self.fields[name].widget.attrs["class"] = "form-select"


class ContactForm(ServiceModelForm):
    class Meta:
        model = Contact
        fields = CONTACT_FIELDS

    def clean_mobile(self) -> str:
        return normalize_phone(self.cleaned_data.get("mobile", ""))
