"""Excel workbooks for finance (reimbursement) and the spend reports: real numbers with
'#,##0.00', real dates, headers in the reader's language."""

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from visitflow.reports.exports import Column, export_response
from visitflow.spend.models import ActualSpend
from visitflow.spend.selectors import ReportRow, ReportTotals

MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
RATE_FORMAT = "0.000000"


def _sheet(
    book: Workbook, title: str, headings: Sequence[str], *, first: bool = False
) -> Worksheet:
    if first:
        sheet = book.active
        if sheet is None:  # a new workbook always has one sheet
            sheet = book.create_sheet()
    else:
        sheet = book.create_sheet()
    sheet.title = title[:31]
    sheet.append(list(headings))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, heading in enumerate(headings, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(heading) * 2 + 2)
    return sheet


def _append(sheet: Worksheet, values: Iterable[Any]) -> None:
    row: list[Any] = []
    for value in values:
        if isinstance(value, datetime):
            value = timezone.localtime(value).replace(tzinfo=None)
        row.append(value)
    sheet.append(row)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, Decimal | float | int) and not isinstance(cell.value, bool):
            if isinstance(cell.value, Decimal):
                cell.number_format = MONEY_FORMAT
        elif isinstance(cell.value, datetime):
            cell.number_format = DATETIME_FORMAT
        elif isinstance(cell.value, date):
            cell.number_format = DATE_FORMAT


def _bytes(book: Workbook) -> bytes:
    out = BytesIO()
    book.save(out)
    return out.getvalue()


ACTUAL_COLUMNS = [
    Column(gettext_lazy("Paid on"), lambda a: a.paid_on),
    Column(gettext_lazy("Customer"), lambda a: a.line.visit.customer.name, width=30),
    Column(gettext_lazy("Visit starts"), lambda a: a.line.visit.starts_at, width=18),
    Column(gettext_lazy("Host"), lambda a: str(a.line.visit.host)),
    Column(gettext_lazy("Category"), lambda a: a.line.get_category_display()),
    Column(gettext_lazy("Planned (CNY)"), lambda a: a.line.planned_amount),
    Column(gettext_lazy("Standard (CNY)"), lambda a: a.line.standard_amount),
    Column(gettext_lazy("Amount paid"), lambda a: a.amount),
    Column(gettext_lazy("Currency"), lambda a: a.currency),
    Column(gettext_lazy("Rate to CNY"), lambda a: a.exchange_rate, number_format=RATE_FORMAT),
    Column(gettext_lazy("Amount (CNY)"), lambda a: a.amount_cny),
    Column(gettext_lazy("Paid by"), lambda a: str(a.payer)),
    Column(gettext_lazy("Deviation from the plan"), lambda a: a.deviation_note, width=30),
    Column(gettext_lazy("Receipt"), lambda a: _("yes") if a.receipt else _("no")),
    Column(gettext_lazy("Confirmed"), lambda a: a.confirmed_at, width=18),
]


def actuals_export(actuals: Iterable[ActualSpend], fmt: str) -> HttpResponse:
    """Paid lines for reimbursement, one row each (issue 8; .xlsx or .csv, issue 9)."""
    return export_response(rows=actuals, columns=ACTUAL_COLUMNS, fmt=fmt, name=_("Spend"))


def report_workbook(groups: dict[str, tuple[str, list[ReportRow]]], totals: ReportTotals) -> bytes:
    """One sheet per grouping (visit, customer, salesperson, team, month)."""
    book = Workbook()
    headings = [
        "",
        _("Planned (CNY)"),
        _("Standard (CNY)"),
        _("Actual (CNY)"),
        _("Lines"),
        _("Within the standard (%)"),
    ]
    sheet = _sheet(book, _("Total"), headings[1:], first=True)
    _append(
        sheet,
        [totals.planned, totals.standard, totals.actual, totals.lines, totals.within_rate],
    )
    for title, rows in groups.values():
        sheet = _sheet(book, title, [title, *headings[1:]])
        for row in rows:
            _append(
                sheet,
                [row.label, row.planned, row.standard, row.actual, row.lines, row.within_rate],
            )
    return _bytes(book)
