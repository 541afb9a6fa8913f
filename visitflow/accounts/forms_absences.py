from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from visitflow.accounts.models import Absence, AbsenceKind, Team, User
from visitflow.accounts.selectors_absences import absence_people_for_user
from visitflow.core.forms import ServiceModelForm

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj} · {obj.team}" if obj.team_id else str(obj)


class AbsenceForm(ServiceModelForm):
    """出差 / 请假: the days a person is away (SOP 5.2)."""

    starts_on = forms.DateField(label=_("First day away"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("Last day away"), widget=DATE_WIDGET)

    class Meta:
        model = Absence
        fields = ["person", "kind", "destination", "starts_on", "ends_on", "note"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = absence_people_for_user(user).select_related("team")
        self.fields["person"] = PersonField(label=_("Who is away"), queryset=people)
        if not self.instance.pk:
            self.fields["person"].initial = user.pk
        self.fields["destination"].help_text = _("For a business trip: the city, e.g. 上海.")
        self.fields["kind"].choices = AbsenceKind.choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = cast("dict[str, Any]", super().clean())
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The last day away cannot be before the first."))
        return data


class AbsenceImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel or CSV file"),
        help_text=_(
            "Columns: username, kind, destination, starts_on, ends_on, note (or 用户名, 类型, "
            "目的地, 开始日期, 结束日期, 备注). An .xlsx workbook (first sheet) or a CSV file "
            "in UTF-8 or GBK."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )


class AbsenceFilterForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Person"), queryset=User.objects.none(), required=False, empty_label=_("Everyone")
    )
    period = forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=[
            ("upcoming", _("Current and upcoming")),
            ("past", _("Past")),
            ("all", _("Any time")),
        ],
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = absence_people_for_user(user)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"


class CalendarTeamForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
