from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from visitflow.core.forms import ServiceModelForm
from visitflow.logistics.models import GiftItem
from visitflow.tradeshows.forms import Form, PersonChoiceField
from visitflow.tradeshows.models import BoothChecklistItem, TradeShow


class ChecklistItemForm(ServiceModelForm):
    class Meta:
        model = BoothChecklistItem
        fields = ["category", "name", "name_en", "quantity", "unit", "packer", "gift_item"]

    def __init__(self, *args: Any, show: TradeShow, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        packer = PersonChoiceField(
            label=_("packed by"),
            queryset=show.team.order_by("display_name", "username"),
            required=False,
        )
        self.fields["packer"] = packer
        gift = forms.ModelChoiceField(
            label=_("gift from stock"),
            queryset=GiftItem.objects.filter(is_active=True).order_by("name"),
            required=False,
            help_text=_("Taken from the gift stock when packed."),
        )
        self.fields["gift_item"] = gift
        self.fields["quantity"].widget.attrs["min"] = 1

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or []}


class ReturnForm(Form):
    returned_quantity = forms.IntegerField(label=_("back to stock"), min_value=0, required=False)
