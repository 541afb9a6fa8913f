from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from visitflow.accounts.models import Role, User
from visitflow.customers.selectors import level_choices
from visitflow.tradeshows.forms import Form, PersonChoiceField
from visitflow.tradeshows.models import LeadStatus


class LeadFilterForm(Form):
    status = forms.ChoiceField(label=_("status"), required=False)
    unassigned = forms.BooleanField(label=_("not assigned"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            ("", _("All")),
            *LeadStatus.choices,
        ]


class AssignForm(Form):
    owner = PersonChoiceField(label=_("salesperson"), queryset=User.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            is_active=True, role__in=[Role.SALES, Role.SALES_MANAGER]
        ).order_by("display_name", "username")


class LeadCallForm(Form):
    outcome = forms.CharField(
        label=_("call outcome"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConvertForm(Form):
    level = forms.ModelChoiceField(label=_("customer level"), queryset=level_choices())
