"""Forms for trade shows and their staffing. Fields are checked here; the rules (dates,
one post at a time, absences) by the services, with the message next to the field."""

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from visitflow.accounts.models import User
from visitflow.core.forms import ServiceModelForm
from visitflow.tradeshows.models import TradeShow

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class Form(forms.Form):
    """A plain form whose labels start with a capital, as ModelForm labels do."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.label:
                field.label = capfirst(field.label)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return str(obj)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return str(obj)


class TradeShowForm(ServiceModelForm):
    team = PeopleChoiceField(
        label=_("booth team"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Who works at the booth; only they can be put on a post."),
    )

    class Meta:
        model = TradeShow
        fields = ["name", "venue", "city", "starts_on", "ends_on", "booth_number"]
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(is_active=True)
            .exclude(role="driver")
            .order_by("display_name", "username")
        )
        if self.instance.pk:
            self.initial["team"] = list(self.instance.team.values_list("pk", flat=True))

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or []}


class StaffPostForm(Form):
    name = forms.CharField(label=_("post"), max_length=100)


class StaffShiftForm(Form):
    post = forms.ChoiceField(label=_("post"))
    person = PersonChoiceField(label=_("person"), queryset=User.objects.none())
    day = forms.TypedChoiceField(label=_("day"), coerce=lambda v: v)
    starts_at = forms.TimeField(label=_("from"), widget=TIME_WIDGET)
    ends_at = forms.TimeField(label=_("until"), widget=TIME_WIDGET)

    def __init__(self, *args: Any, show: TradeShow, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.show = show
        self.fields["post"].choices = [(p.pk, p.name) for p in show.posts.all()]  # type: ignore[attr-defined]
        self.fields["person"].queryset = show.team.order_by(  # type: ignore[attr-defined]
            "display_name", "username"
        )
        self.fields["day"].choices = [  # type: ignore[attr-defined]
            (d.isoformat(), d.strftime("%Y-%m-%d")) for d in show.days
        ]

    def clean_day(self) -> Any:
        from datetime import date

        return date.fromisoformat(self.cleaned_data["day"])

    def clean_post(self) -> Any:
        post = self.show.posts.filter(pk=self.cleaned_data["post"]).first()
        if post is None:
            raise forms.ValidationError(_("Choose a post of this booth."))
        return post
