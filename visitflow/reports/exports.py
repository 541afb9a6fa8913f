"""Lists as files (issue 9): what a list page shows, with its filters and the reader's
permissions, as an Excel workbook or a CSV file.

A list declares its columns once (`Column`: a translated header and how to read the
value from a row); `export_response()` writes them. Excel gets real numbers, dates and
times (in the reader's time zone) with formats; CSV is UTF-8 with a byte-order mark, so
that Excel on a Chinese Windows opens it without garbling the Chinese. Text that a
spreadsheet would run as a formula is written as text (CSV/formula injection).
"""

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMATS = ("xlsx", "csv")
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 1000
# A leading =, @, tab or CR starts a formula; so do + and - unless what follows is a
# phone number or an amount ("+86 138 0013 8000", "-12.50"), which stay as they are.
_FORMULA = re.compile(r"^[=@\t\r]|^[+-](?![\d\s().-]*$)")


@dataclass(frozen=True)
class Column:
    header: str | Promise
    value: Callable[[Any], Any]
    width: int = 0  # characters; 0: from the header
    number_format: str = ""  # Excel's, for numbers other than money (a rate, a count)


def requested_format(request: HttpRequest) -> str:
    """ "xlsx" or "csv" when the list was asked for as a file (?export=…), else ""."""
    value = request.GET.get("export", "")
    return value if value in FORMATS else ""


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, bool):
        return value
    if isinstance(value, str | Promise):
        text = str(value)
        return "'" + text if _FORMULA.match(text) else text
    return value


def _csv_text(value: Any) -> str:
    value = _plain(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}" if value.as_tuple().exponent == -2 else str(value)
    if isinstance(value, bool):
        return "✓" if value else ""
    return str(value)


def _rows(rows: Iterable[Any]) -> Iterable[Any]:
    iterator = getattr(rows, "iterator", None)
    # A queryset is read in chunks, keeping its select_related / prefetch_related.
    return iterator(chunk_size=CHUNK) if callable(iterator) else rows


def workbook_bytes(rows: Iterable[Any], columns: Sequence[Column], *, title: str) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Sheet")
    for index, column in enumerate(columns, start=1):
        width = column.width or max(10, len(str(column.header)) * 2 + 2)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=str(column.header))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in _rows(rows):
        cells = []
        for column in columns:
            value = _plain(column.value(row))
            cell = WriteOnlyCell(sheet, value=value)
            if column.number_format and isinstance(value, Decimal | int | float):
                cell.number_format = column.number_format
            elif isinstance(value, datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(value, date):
                cell.number_format = DATE_FORMAT
            elif isinstance(value, Decimal):
                cell.number_format = MONEY_FORMAT
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: Iterable[Any], columns: Sequence[Column]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(c.header) for c in columns])
    for row in _rows(rows):
        writer.writerow([_csv_text(c.value(row)) for c in columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def export_response(
    *, rows: Iterable[Any], columns: Sequence[Column], fmt: str, name: str | Promise
) -> HttpResponse:
    """The rows as a download named "<name>-<today>.xlsx" (or .csv)."""
    filename = f"{name}-{timezone.localdate().isoformat()}.{fmt}"
    if fmt == "xlsx":
        content, content_type = workbook_bytes(rows, columns, title=str(name)), XLSX_TYPE
    else:
        content, content_type = csv_bytes(rows, columns), "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
