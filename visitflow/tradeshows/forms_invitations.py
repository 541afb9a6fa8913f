"""Forms for invitations: choosing invitees, the confirmation call, the invitee's answer."""

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from visitflow.accounts.models import User
from visitflow.customers.selectors import level_choices, owner_filter_choices_for_user
from visitflow.tradeshows.forms import Form
from visitflow.tradeshows.models import CallOutcome, InvitationStatus, TradeShow
from visitflow.tradeshows.selectors_invitations import region_choices_for_user
from visitflow.tradeshows.services.invitations import MAX_PARTY

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CandidateFilterForm(Form):
    q = forms.CharField(label=_("company"), required=False)
    level = forms.ChoiceField(label=_("level"), required=False)
    owner = forms.TypedChoiceField(label=_("owner"), required=False, coerce=int, empty_value=None)
    region = forms.ChoiceField(label=_("province / region"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everyone = [("", _("All"))]
        self.fields["level"].choices = everyone + [  # type: ignore[attr-defined]
            (lv.code, lv.name) for lv in level_choices()
        ]
        owners = [(u.pk, str(u)) for u in owner_filter_choices_for_user(user)]
        self.fields["owner"].choices = everyone + owners  # type: ignore[attr-defined]
        if not owners:
            del self.fields["owner"]
        self.fields["region"].choices = everyone + [  # type: ignore[attr-defined]
            (r, r) for r in region_choices_for_user(user)
        ]


class InvitationFilterForm(Form):
    status = forms.ChoiceField(label=_("status"), required=False)
    not_confirmed = forms.BooleanField(label=_("not confirmed yet"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            ("", _("All")),
            *InvitationStatus.choices,
        ]


class CallForm(Form):
    outcome = forms.ChoiceField(
        label=_("outcome"), choices=CallOutcome.choices, widget=forms.RadioSelect
    )
    call_again_at = forms.DateTimeField(
        label=_("call again at"), required=False, widget=DATETIME_WIDGET
    )
    note = forms.CharField(label=_("note"), max_length=500, required=False)


class RsvpForm(Form):
    """The invitee's answer; labels in both languages (we do not know theirs)."""

    coming = forms.TypedChoiceField(
        label="您会来吗？ Will you come?",
        choices=[("yes", "会来 Yes, I will come"), ("no", "不能来 Sorry, I cannot come")],
        widget=forms.RadioSelect,
        coerce=lambda v: v == "yes",
    )
    day = forms.ChoiceField(label="哪一天？ Which day?", required=False)
    party_size = forms.IntegerField(
        label="人数 How many people?", required=False, min_value=1, max_value=MAX_PARTY
    )
    names = forms.CharField(
        label="同行人员姓名 Names",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, show: TradeShow, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["day"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (d.isoformat(), d.strftime("%Y-%m-%d")) for d in show.days
        ]

    def clean_day(self) -> date | None:
        value = self.cleaned_data.get("day")
        return date.fromisoformat(value) if value else None
