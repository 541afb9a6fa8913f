"""Forms of SOP 5.2 on the visit page: ask for a stand-in, choose one, answer, propose new
dates, and the apology to the customer."""

from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from visitflow.accounts.models import User
from visitflow.accounts.roles import is_admin
from visitflow.logistics.models import MessageChannel
from visitflow.visits.forms import (
    DATETIME_FORMATS,
    DATETIME_WIDGET,
    PagePartForm,
    PersonChoiceField,
)
from visitflow.visits.models import Visit
from visitflow.visits.services_cover import (
    APOLOGY_NEW_DATES,
    APOLOGY_STAND_IN,
    HOST_ROLES,
    is_supervisor_of_host,
)


def stand_in_choices(user: User, visit: Visit) -> QuerySet[User]:
    """Whom the user may offer as stand-in: the host's team; anyone who hosts for the
    supervisor and administrators (the manager's say, SOP 5.2)."""
    qs = User.objects.filter(is_active=True, role__in=HOST_ROLES).exclude(pk=visit.host_id)
    if not (is_admin(user) or is_supervisor_of_host(user, visit)):
        team = visit.host.team
        if team is None:
            return qs.none()
        qs = qs.filter(Q(team=team) | Q(pk=team.manager_id or 0))
    return qs.select_related("team").order_by("team__name", "display_name", "username")


class TeamPersonChoiceField(PersonChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj} · {obj.team}" if obj.team_id else str(obj)


class CoverRequestForm(PagePartForm, forms.Form):
    id_prefix = "cover"

    note = forms.CharField(
        label=_("Message to your supervisor"),
        max_length=500,
        required=False,
        widget=forms.Textarea({"rows": 2}),
        help_text=_("What the stand-in should know; the hand-over brief carries the rest."),
    )
    stand_in = TeamPersonChoiceField(
        label=_("Suggest a colleague"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Let the supervisor choose"),
    )

    def __init__(self, *args: Any, user: User, visit: Visit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["stand_in"]).queryset = stand_in_choices(
            user, visit
        )


class CoverAssignForm(PagePartForm, forms.Form):
    id_prefix = "assign"

    stand_in = TeamPersonChoiceField(label=_("Stand-in host"), queryset=User.objects.none())

    def __init__(self, *args: Any, user: User, visit: Visit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["stand_in"])
        field.queryset = stand_in_choices(user, visit)
        if is_supervisor_of_host(user, visit) or is_admin(user):
            field.help_text = _("Choosing yourself takes the visit on at once.")


class CoverDeclineForm(PagePartForm, forms.Form):
    id_prefix = "decline"

    note = forms.CharField(label=_("Why you cannot"), max_length=300)


class RescheduleForm(PagePartForm, forms.Form):
    id_prefix = "reschedule"

    starts_at = forms.DateTimeField(
        label=_("New arrival"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS
    )
    ends_at = forms.DateTimeField(
        label=_("New departure"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        data = cast("dict[str, Any]", super().clean())
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The departure must be after the arrival."))
        return data


class RescheduleDeclineForm(forms.Form):
    note = forms.CharField(label=_("What the customer said"), max_length=200, required=False)


APOLOGY_KINDS = [
    (APOLOGY_STAND_IN, _("A stand-in receives them")),
    (APOLOGY_NEW_DATES, _("New dates")),
]


class ApologyForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the customer is told"), choices=APOLOGY_KINDS)
    language = forms.ChoiceField(
        label=_("Language"), choices=[("zh-hans", "中文"), ("en", "English")]
    )
    channel = forms.ChoiceField(label=_("Sent by"), choices=MessageChannel.choices)
    text = forms.CharField(label=_("Message"), max_length=2000, widget=forms.Textarea({"rows": 6}))
