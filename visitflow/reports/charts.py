"""The dashboard's charts as data for ECharts (static/reports/dashboard.js draws them).
Each series carries the URL of every point, so a click on a bar opens the list behind it,
as the table beside the chart does."""

from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from visitflow.reports.dashboard import Dashboard

STATE_COLORS = {
    "draft": "#adb5bd",
    "confirmed": "#0d6efd",
    "in_progress": "#20c997",
    "departed": "#6f42c1",
    "closed": "#198754",
    "cancelled": "#dc3545",
}
OUTCOME_COLORS = {
    "on_time": "#198754",
    "late": "#ffc107",
    "skipped": "#adb5bd",
    "overdue": "#dc3545",
}


def outcome_labels() -> dict[str, str]:
    return {
        "on_time": _("On time"),
        "late": _("Late"),
        "skipped": _("Skipped"),
        "overdue": _("Overdue"),
    }


def follow_up_labels() -> dict[str, str]:
    return {
        "overdue": _("Overdue"),
        "week": _("Due within a week"),
        "later": _("Due later"),
        "done": _("Done in the period"),
    }


def conversion_labels() -> dict[str, str]:
    return {
        "deal": _("Deal"),
        "negotiating": _("Still negotiating"),
        "no_deal": _("No deal"),
        "none": _("Not recorded"),
    }


def _series(name: str, cells: list[Any], color: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "data": [None if c.value is None else float(c.value) for c in cells],
        "urls": [c.url for c in cells],
        "color": color,
        **extra,
    }


def dashboard_charts(data: Dashboard) -> dict[str, dict[str, Any]]:
    weeks = data.weeks
    charts: dict[str, dict[str, Any]] = {
        "chart-weeks": {
            "kind": "bar",
            "stacked": True,
            "categories": [date_format(row.week, "m-d") for row in weeks.rows],
            "series": [
                _series(
                    label, [row.cells[i] for row in weeks.rows], STATE_COLORS.get(code, "#6c757d")
                )
                for i, (code, label) in enumerate(weeks.states)
            ],
        },
    }
    labels = outcome_labels()
    charts["chart-steps"] = {
        "kind": "bar",
        "stacked": True,
        "horizontal": True,
        "percent": True,
        "categories": [row.name for row in data.steps],
        "series": [
            {
                "name": labels[name],
                "data": [float(row.share(name) or 0) for row in data.steps],
                "urls": [row.cells[name].url for row in data.steps],
                "color": OUTCOME_COLORS[name],
            }
            for name in OUTCOME_COLORS
        ],
    }
    months = data.months
    charts["chart-calls"] = {
        "kind": "bar",
        "categories": [date_format(row.month, "Y-m") for row in months],
        "axes": [{"max": 100, "suffix": "%"}, {"min": 0, "max": 5}],
        "series": [
            {
                "name": _("Return calls on time"),
                "data": [None if row.rate is None else float(row.rate) for row in months],
                "urls": [row.on_time.url for row in months],
                "color": "#198754",
            },
            {
                "name": _("Products (1-5)"),
                "type": "line",
                "axis": 1,
                "data": [None if row.product is None else float(row.product) for row in months],
                "urls": [row.rated.url for row in months],
                "color": "#0d6efd",
            },
            {
                "name": _("Company image (1-5)"),
                "type": "line",
                "axis": 1,
                "data": [None if row.image is None else float(row.image) for row in months],
                "urls": [row.rated.url for row in months],
                "color": "#fd7e14",
            },
        ],
    }
    groups = follow_up_labels()
    charts["chart-follow-ups"] = {
        "kind": "bar",
        "categories": list(groups.values()),
        "series": [
            {
                **_series(_("Follow-ups"), list(data.follow_ups.values()), "#0d6efd"),
                "colors": ["#dc3545", "#ffc107", "#0d6efd", "#198754"],
            }
        ],
    }
    outcomes = conversion_labels()
    conversion = data.conversion
    charts["chart-conversion"] = {
        "kind": "bar",
        "categories": list(outcomes.values()),
        "series": [
            {
                **_series(_("Visits"), list(conversion.outcomes.values()), "#198754"),
                "colors": ["#198754", "#0dcaf0", "#adb5bd", "#dee2e6"],
            }
        ],
    }
    if data.shows:
        stages = [
            ("invited", _("Invited")),
            ("came", _("Came to the booth")),
            ("leads", _("Leads")),
            ("called", _("Called")),
            ("visits", _("Company visits")),
            ("deals", _("Deals")),
        ]
        palette = ["#0d6efd", "#20c997", "#6f42c1", "#fd7e14", "#198754", "#dc3545"]
        charts["chart-shows"] = {
            "kind": "bar",
            "categories": [label for _key, label in stages],
            "series": [
                _series(
                    funnel.show.name,
                    [getattr(funnel, key) for key, _label in stages],
                    palette[i % len(palette)],
                )
                for i, funnel in enumerate(data.shows)
            ],
        }
    return charts
