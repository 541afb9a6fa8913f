"""Excel workbooks for finance (reimbursement) and the spend reports: real numbers with
'#,##0.00', real dates, headers in the reader's language."""

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from visitflow.spend.models import ActualSpend
from visitflow.spend.selectors import ReportRow, ReportTotals

MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
RATE_FORMAT = "0.000000"
RATE_COLUMN = 10  # "Rate to CNY" in the reimbursement sheet


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


def actuals_workbook(actuals: Iterable[ActualSpend]) -> bytes:
    """Paid lines for reimbursement, one row each."""
    book = Workbook()
    sheet = _sheet(
        book,
        _("Spend"),
        [
            _("Paid on"),
            _("Customer"),
            _("Visit starts"),
            _("Host"),
            _("Category"),
            _("Planned (CNY)"),
            _("Standard (CNY)"),
            _("Amount paid"),
            _("Currency"),
            _("Rate to CNY"),
            _("Amount (CNY)"),
            _("Paid by"),
            _("Deviation from the plan"),
            _("Receipt"),
            _("Confirmed"),
        ],
        first=True,
    )
    for actual in actuals:
        line = actual.line
        _append(
            sheet,
            [
                actual.paid_on,
                line.visit.customer.name,
                line.visit.starts_at,
                str(line.visit.host),
                line.get_category_display(),
                line.planned_amount,
                line.standard_amount,
                actual.amount,
                actual.currency,
                actual.exchange_rate,
                actual.amount_cny,
                str(actual.payer),
                actual.deviation_note,
                _("yes") if actual.receipt else _("no"),
                actual.confirmed_at,
            ],
        )
        sheet.cell(row=sheet.max_row, column=RATE_COLUMN).number_format = RATE_FORMAT
    return _bytes(book)


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
