from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from visitflow.accounts.models import User
from visitflow.customers.models import CustomerLevel
from visitflow.spend.models import CENT, MEAL_CATEGORIES, RoomType, SpendCategory

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY_ATTRS = {"inputmode": "decimal", "step": "0.01", "min": "0"}


# What each planning form is for (SOP 5.1 step 4: meals and lodging; the rest beside them).
def kind_of(category: str) -> str:
    return next(kind for kind, spec in KINDS.items() if category in spec["categories"])


KINDS: dict[str, dict[str, Any]] = {
    "meal": {
        "title": gettext_lazy("Plan a meal"),
        "categories": list(MEAL_CATEGORIES),
        "fields": ["category", "date", "venue", "guests", "hosts", "planned_amount"],
    },
    "lodging": {
        "title": gettext_lazy("Plan lodging"),
        "categories": [SpendCategory.HOTEL_NIGHT],
        "fields": ["date", "venue", "room_type", "nights", "rooms", "planned_rate"],
    },
    "other": {
        "title": gettext_lazy("Plan gifts, transport or other spend"),
        "categories": [
            SpendCategory.GIFT_PER_VISITOR,
            SpendCategory.LOCAL_TRANSPORT,
            SpendCategory.OTHER,
        ],
        "fields": ["category", "date", "venue", "guests", "description", "planned_amount"],
    },
}


def _money_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(settings.SPEND_MAX_LINE_CNY),
        help_text=help_text,
        widget=forms.NumberInput(attrs=MONEY_ATTRS),
    )


class SpendLineForm(forms.Form):
    category = forms.ChoiceField(label=gettext_lazy("Meal or kind"), choices=())
    date = forms.DateField(label=gettext_lazy("Date"), widget=DATE_INPUT)
    venue = forms.CharField(label=gettext_lazy("Restaurant"), max_length=200, required=False)
    room_type = forms.ChoiceField(
        label=gettext_lazy("Room type"), choices=RoomType.choices, required=False
    )
    guests = forms.IntegerField(label=gettext_lazy("Guests"), min_value=0, max_value=500, initial=0)
    hosts = forms.IntegerField(
        label=gettext_lazy("Our people at the table"), min_value=0, max_value=500, initial=0
    )
    nights = forms.IntegerField(label=gettext_lazy("Nights"), min_value=1, max_value=60, initial=1)
    rooms = forms.IntegerField(label=gettext_lazy("Rooms"), min_value=1, max_value=200, initial=1)
    description = forms.CharField(label=gettext_lazy("Description"), max_length=300, required=False)
    planned_amount = _money_field(gettext_lazy("Planned amount in total (CNY)"))
    planned_rate = _money_field(gettext_lazy("Planned rate per room-night (CNY)"))
    over_reason = forms.CharField(
        label=gettext_lazy("Reason for going over the standard"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Needed only when the plan is over the standard."),
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        spec = KINDS[kind]
        keep = [*spec["fields"], "over_reason"]
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if "category" in self.fields:
            self.fields["category"].choices = [  # type: ignore[attr-defined]
                (c.value, c.label) for c in spec["categories"]
            ]
        if kind == "lodging":
            self.fields["venue"].label = _("Hotel")
            self.fields["date"].label = _("Check-in")
        elif kind == "other":
            self.fields["venue"].label = _("Supplier or place")
            self.fields["guests"].label = _("Visitors (for gifts)")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.kind == "lodging":
            data["category"] = SpendCategory.HOTEL_NIGHT
            rate = data.get("planned_rate")
            if rate is not None and data.get("nights") and data.get("rooms"):
                data["planned_amount"] = (rate * data["nights"] * data["rooms"]).quantize(CENT)
        return data

    @classmethod
    def initial_for(cls, line: Any) -> dict[str, Any]:
        initial = {
            name: getattr(line, name)
            for name in (
                "category",
                "date",
                "venue",
                "room_type",
                "guests",
                "hosts",
                "nights",
                "rooms",
                "description",
                "planned_amount",
                "over_reason",
            )
        }
        if line.nights and line.rooms:
            initial["planned_rate"] = (line.planned_amount / (line.nights * line.rooms)).quantize(
                CENT
            )
        return initial

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "category": data["category"],
            "date": data["date"],
            "planned_amount": data["planned_amount"],
            "venue": data.get("venue", ""),
            "room_type": data.get("room_type", "") or "",
            "guests": data.get("guests") or 0,
            "hosts": data.get("hosts") or 0,
            "nights": data.get("nights") or 0,
            "rooms": data.get("rooms") or 0,
            "description": data.get("description", ""),
            "over_reason": data.get("over_reason", ""),
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note (needed when refusing)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ActualForm(forms.Form):
    amount = _money_field(gettext_lazy("Amount paid"))
    currency = forms.CharField(label=gettext_lazy("Currency"), max_length=3, initial="CNY")
    exchange_rate = forms.DecimalField(
        label=gettext_lazy("Rate to CNY"),
        required=False,
        max_digits=12,
        decimal_places=6,
        min_value=Decimal("0.000001"),
        help_text=gettext_lazy("Only for a currency other than CNY."),
    )
    payer = forms.ModelChoiceField(label=gettext_lazy("Paid by"), queryset=User.objects.none())
    paid_on = forms.DateField(label=gettext_lazy("Paid on"), widget=DATE_INPUT)
    deviation_note = forms.CharField(
        label=gettext_lazy("Deviation from the plan"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    receipt = forms.FileField(
        label=gettext_lazy("Invoice or receipt (photo or PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,.pdf"}),
    )

    def __init__(self, *args: Any, payers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["payer"].queryset = payers  # type: ignore[attr-defined]


class StandardForm(forms.Form):
    level = forms.ModelChoiceField(
        label=gettext_lazy("Customer level"), queryset=CustomerLevel.objects.filter(is_active=True)
    )
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=SpendCategory.choices)
    room_type = forms.ChoiceField(
        label=gettext_lazy("Room type"), choices=RoomType.choices, required=False
    )
    amount = _money_field(
        gettext_lazy("Standard (CNY)"),
        help_text=gettext_lazy("Per person for meals, per room-night, per visitor for gifts."),
    )
    valid_from = forms.DateField(label=gettext_lazy("Applies from"), widget=DATE_INPUT)
    manager_max_over_percent = forms.DecimalField(
        label=gettext_lazy("Manager may approve up to (% over)"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(1000),
        initial=Decimal(20),
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)


FILTER_DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


class ReportFilterForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), required=False, widget=FILTER_DATE)
    end = forms.DateField(label=gettext_lazy("To"), required=False, widget=FILTER_DATE)
