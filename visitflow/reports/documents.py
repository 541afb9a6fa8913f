"""The reception-quality report as a PDF (issue 9: printable), on the visit documents'
page layout and CJK font: the figures for the whole period, then per team and per
salesperson, month by month."""

from decimal import Decimal

from django.utils.translation import gettext as _

from visitflow.accounts.models import User
from visitflow.reports.selectors import QualityReport, QualityRow
from visitflow.visits.documents import VisitPdf, _generated_note


def _share(rate: Decimal | None, part: int, whole: int) -> str:
    return f"{rate}% ({part}/{whole})" if rate is not None else "—"


def _feedback(row: QualityRow) -> str:
    if row.product_average is None:
        return "—"
    return f"{row.product_average} / {row.image_average}"


def _cells(row: QualityRow, who: str) -> list[str]:
    return [
        row.month.strftime("%Y-%m"),
        who,
        str(row.visits),
        _share(row.on_time_rate, row.steps_on_time, row.steps_due),
        str(row.steps_late),
        str(row.steps_overdue),
        str(row.steps_skipped),
        _share(row.return_call_rate, row.return_calls_on_time, row.return_calls_due),
        _feedback(row),
        str(row.open_requests),
    ]


def quality_pdf(report: QualityReport, *, user: User, team_name: str = "") -> bytes:
    start, end = report.filters.start, report.filters.end
    months = f"{start:%Y-%m}"
    if start != end:
        months = _("%(start)s to %(end)s") % {"start": months, "end": f"{end:%Y-%m}"}
    pdf = VisitPdf(title=_("Reception quality"), footer_note=_generated_note(user))
    subtitle = _("Visits arriving in %(months)s") % {"months": months}
    if team_name:
        subtitle += f" · {team_name}"
    pdf.title_block(_("Reception quality"), subtitle)

    total = report.total
    pdf.section(_("The period"))
    pdf.facts(
        [
            (_("Visits hosted"), str(total.visits)),
            (
                _("Steps on time"),
                _share(total.on_time_rate, total.steps_on_time, total.steps_due),
            ),
            (_("Steps done late"), str(total.steps_late)),
            (_("Steps overdue"), str(total.steps_overdue)),
            (_("Steps skipped"), str(total.steps_skipped)),
            (
                _("Return calls on time"),
                _share(total.return_call_rate, total.return_calls_on_time, total.return_calls_due),
            ),
            (_("Feedback (products / company image, 1-5)"), _feedback(total)),
            (_("Open requests"), str(total.open_requests)),
        ],
        label_width=62,
    )
    headings = [
        _("month").capitalize(),
        "",
        _("Visits"),
        _("Steps on time"),
        _("Late"),
        _("Overdue"),
        _("Skipped"),
        _("Return calls on time"),
        _("Feedback (1-5)"),
        _("Open requests"),
    ]
    widths = (18, 25, 11, 24, 11, 13, 12, 24, 20, 20)
    pdf.section(_("Per team"))
    team_headings = [*headings]
    team_headings[1] = _("Team")
    pdf.grid(team_headings, [_cells(r, r.team or "—") for r in report.teams], widths)
    pdf.section(_("Per salesperson"))
    host_headings = [*headings]
    host_headings[1] = _("Host")
    pdf.grid(host_headings, [_cells(r, r.host) for r in report.rows], widths)
    pdf.ln(3)
    pdf.paragraph(
        _(
            "A step counts once it is due. On time: done by its due time; late: done after "
            "it; overdue: still open past it; skipped: left out with a reason."
        ),
        muted=True,
    )
    return pdf.render()
