"""The dashboard's filters (issue 9): period, team, salesperson, customer level. The
dashboard shows them as a form; the lists behind its figures read the same parameters
from their links and say in a banner what they are filtered on."""

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from visitflow.accounts.models import Team, User
from visitflow.customers.models import CustomerLevel
from visitflow.visits.forms import DATE_WIDGET, PersonChoiceField
from visitflow.visits.selectors import ScopeFilters

SCOPE_FIELDS = ("start", "end", "team", "host", "level")
MAX_SCOPE_DAYS = 731  # two years: the week-by-week chart stays readable


class ScopeForm(forms.Form):
    start = forms.DateField(
        label=pgettext_lazy("period", "From"), required=False, widget=DATE_WIDGET
    )
    end = forms.DateField(label=pgettext_lazy("period", "To"), required=False, widget=DATE_WIDGET)
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.order_by("name"),
        required=False,
        empty_label=_("All teams"),
    )
    host = PersonChoiceField(
        label=_("Salesperson"),
        queryset=User.objects.filter(is_active=True).order_by("display_name", "username"),
        required=False,
        empty_label=_("Everyone"),
    )
    level = forms.ModelChoiceField(
        label=_("Customer level"),
        queryset=CustomerLevel.objects.order_by("rank", "code"),
        required=False,
        empty_label=_("All levels"),
    )

    def __init__(
        self,
        *args: Any,
        teams: QuerySet[Team] | None = None,
        people: QuerySet[User] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if teams is not None:
            self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        if people is not None:
            self.fields["host"].queryset = people  # type: ignore[attr-defined]
        for name in ("team", "host", "level"):
            self.fields[name].widget.attrs["class"] = "form-select"
        for name in ("start", "end"):
            self.fields[name].widget.attrs["class"] = "form-control"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, date) and isinstance(end, date):
            if end < start:
                self.add_error("end", _("The end cannot be before the start."))
            elif (end - start).days > MAX_SCOPE_DAYS:
                self.add_error("end", _("Choose at most two years."))
        return data

    def scope(
        self, *, default_start: date | None = None, default_end: date | None = None
    ) -> ScopeFilters:
        """The filters as given; those not given (or not valid) fall back to the defaults."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        team, host, level = data.get("team"), data.get("host"), data.get("level")
        return ScopeFilters(
            start=data.get("start") or default_start,
            end=data.get("end") or default_end,
            team=team.pk if team else None,
            host=host.pk if host else None,
            level=level.pk if level else None,
        )

    def describe(self) -> list[str]:
        """What a list is filtered on, in the reader's language, for its banner."""
        if not (self.is_bound and self.is_valid()):
            return []
        data = self.cleaned_data
        parts = []
        start, end = data.get("start"), data.get("end")
        if start and end:
            parts.append(gettext("%(start)s to %(end)s") % {"start": start, "end": end})
        elif start:
            parts.append(gettext("from %(start)s") % {"start": start})
        elif end:
            parts.append(gettext("until %(end)s") % {"end": end})
        for name in ("team", "host", "level"):
            if data.get(name):
                parts.append(f"{self.fields[name].label}: {data[name]}")
        return parts


def scope_query(scope: ScopeFilters) -> dict[str, str]:
    """The parameters that carry a scope in a link."""
    values = {
        "start": scope.start.isoformat() if scope.start else "",
        "end": scope.end.isoformat() if scope.end else "",
        "team": str(scope.team or ""),
        "host": str(scope.host or ""),
        "level": str(scope.level or ""),
    }
    return {key: value for key, value in values.items() if value}


def scope_banner(
    form: ScopeForm, extras: list[str] | None = None, carry: tuple[str, ...] = ()
) -> dict[str, Any] | None:
    """What a list behind a dashboard figure is filtered on (None: nothing), and the
    dashboard link back with the same filters."""
    parts = form.describe() + (extras or [])
    given = form.is_bound and any(form.data.get(name) for name in SCOPE_FIELDS)
    invalid = given and not form.is_valid()
    if not parts and not invalid:
        return None
    names = SCOPE_FIELDS + carry
    return {
        "parts": parts,
        "invalid": invalid,
        "query": urlencode(scope_query(form.scope())),
        # For a list's own filter form: the dashboard's parameters, kept when it is used.
        "carry": [(name, form.data[name]) for name in names if form.data.get(name)],
    }
