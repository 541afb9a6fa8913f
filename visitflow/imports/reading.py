"""Reading an uploaded spreadsheet: .xlsx (openpyxl) or CSV in UTF-8 or GBK/GB18030.

The format is decided by the content, not the file name: a PNG renamed .xlsx is
refused with a message, an .xlsx renamed .csv is still read."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _

from visitflow.core.exceptions import ApplicationError

XLSX = "xlsx"
CSV = "csv"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls (Excel 97-2003)


@dataclass
class Table:
    file_format: str
    encoding: str
    headers: list[str]
    # Data rows after the header: (row number as the spreadsheet shows it, cells as text).
    rows: Iterator[tuple[int, list[str]]]


def _decode(raw: bytes) -> tuple[str, str]:
    if b"\x00" in raw:
        raise ApplicationError(_("This file is not a spreadsheet: use an .xlsx or a .csv file."))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding), ("utf-8" if encoding == "utf-8-sig" else "gb18030")
        except UnicodeDecodeError:
            continue
    raise ApplicationError(_("This file's text could not be read: save the CSV as UTF-8 or GBK."))


def _non_empty(rows: Iterator[list[str]]) -> Iterator[tuple[int, list[str]]]:
    for number, row in enumerate(rows, start=1):
        if any(row):
            yield number, row


def _split_header(
    rows: Iterator[list[str]],
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    numbered = _non_empty(rows)
    first = next(numbered, None)
    if first is None:
        raise ApplicationError(_("The file is empty: there is no header row and no data."))
    header = first[1]
    while header and not header[-1]:
        header.pop()
    if not header or sum(1 for cell in header if cell) == 0:
        raise ApplicationError(_("The first row must name the columns."))
    return header, numbered


def _read_csv(raw: bytes) -> Table:
    text, encoding = _decode(raw)
    sample = text[:20_000]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)

    def cells() -> Iterator[list[str]]:
        try:
            for row in reader:
                yield [c.strip() for c in row]
        except csv.Error as exc:
            # An unclosed quote swallowing the rest of the file, a cell of megabytes.
            raise ApplicationError(
                _("Line %(line)d of the file could not be read: %(reason)s")
                % {"line": reader.line_num, "reason": exc}
            ) from exc

    header, rows = _split_header(cells())
    return Table(CSV, encoding, header, rows)


def _read_xlsx(stream: IO[bytes]) -> Table:
    from visitflow.imports.xlsx import NotAWorkbook, iter_first_sheet

    def checked(rows: Iterator[list[str]]) -> Iterator[list[str]]:
        try:
            yield from rows
        except NotAWorkbook as exc:
            raise ApplicationError(_not_a_workbook()) from exc

    try:
        rows = iter_first_sheet(stream)
    except NotAWorkbook as exc:
        raise ApplicationError(_not_a_workbook()) from exc
    header, data = _split_header(checked(rows))
    return Table(XLSX, "", header, data)


def _not_a_workbook() -> str:
    return _("This file is not a readable Excel workbook: save it again as .xlsx.")


def read_table(stream: IO[bytes]) -> Table:
    """Open an uploaded file; raise ApplicationError with a message a person can act on."""
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if not head:
        raise ApplicationError(_("The file is empty: there is no header row and no data."))
    if head.startswith(_ZIP_MAGIC):
        return _read_xlsx(stream)
    if head.startswith(_OLE_MAGIC):
        raise ApplicationError(
            _("This is an old Excel file (.xls): save it as .xlsx or CSV and upload again.")
        )
    return _read_csv(stream.read())
