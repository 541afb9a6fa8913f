from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from visitflow.accounts.models import Team


class QualityFilterForm(forms.Form):
    start = forms.CharField(
        label=_("From month"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month"}),
    )
    end = forms.CharField(
        label=_("To month"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month"}),
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("All teams"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: object, teams: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["team"].queryset = teams if teams is not None else Team.objects.none()  # type: ignore[attr-defined]

    @staticmethod
    def _month(value: str) -> date | None:
        try:
            year, month = (int(part) for part in value.split("-"))
            return date(year, month, 1)
        except ValueError:
            return None

    def clean_start(self) -> date | None:
        value = self.cleaned_data["start"]
        if not value:
            return None
        month = self._month(value)
        if month is None:
            raise forms.ValidationError(_("Give a month as YYYY-MM."))
        return month

    def clean_end(self) -> date | None:
        value = self.cleaned_data["end"]
        if not value:
            return None
        month = self._month(value)
        if month is None:
            raise forms.ValidationError(_("Give a month as YYYY-MM."))
        return month

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, date) and isinstance(end, date):
            if end < start:
                self.add_error("end", _("The last month cannot be before the first."))
            elif (end.year - start.year) * 12 + end.month - start.month > 23:
                self.add_error("end", _("Choose at most 24 months."))
        return data
