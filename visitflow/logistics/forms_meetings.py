"""Forms of the company tour, leader meetings and gifts; the services decide the rules."""

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from visitflow.accounts.models import User
from visitflow.logistics.models import GiftItem, Room
from visitflow.logistics.selectors import gift_items_available
from visitflow.logistics.services.leaders import leader_choices
from visitflow.logistics.services.tours import tour_rooms

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def _when(label: "StrOrPromise") -> forms.DateTimeField:
    return forms.DateTimeField(label=label, widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS)


class _RangeForm(forms.Form):
    starts_at = _when(_("From"))
    ends_at = _when(_("Until"))


class TourForm(_RangeForm):
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.none())

    field_order = ["room", "starts_at", "ends_at"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # SOP 5.1 公司参观: offices and rooms not toured are never offered.
        self.fields["room"].queryset = tour_rooms()  # type: ignore[attr-defined]


class LeaderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj} · {obj.get_role_display()}"


class MeetingRequestForm(_RangeForm):
    leader = LeaderChoiceField(label=_("Leader"), queryset=User.objects.none())
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.none(), required=False)

    field_order = ["leader", "starts_at", "ends_at", "room"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["leader"].queryset = leader_choices()  # type: ignore[attr-defined]
        self.fields["room"].queryset = Room.objects.filter(is_active=True)  # type: ignore[attr-defined]


class DeclineForm(forms.Form):
    note = forms.CharField(label=_("Why"), max_length=300)


class ProposeForm(forms.Form):
    starts_at = _when(_("Another time"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class GiftIssueForm(forms.Form):
    item = forms.ModelChoiceField(label=_("Gift"), queryset=GiftItem.objects.none())
    # The service says why 0 is refused, in the user's language; min_value would repeat it.
    quantity = forms.IntegerField(label=_("Quantity"), initial=1)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["item"].queryset = gift_items_available()  # type: ignore[attr-defined]


class StockReceiveForm(forms.Form):
    item = forms.ModelChoiceField(label=_("Gift"), queryset=GiftItem.objects.all())
    quantity = forms.IntegerField(label=_("Quantity"), initial=1)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
