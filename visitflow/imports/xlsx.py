"""A streaming reader of the first sheet of an .xlsx, values only, on expat.

openpyxl (even read_only) builds an element per cell and costs about a millisecond a
row here: 50,000 rows read twice (dry run, import) would take most of the minute that
issue 9 allows. This reads the same XML with expat callbacks and no tree, about ten
times faster. It handles what a customer list holds: shared, inline and formula
strings, numbers and booleans; dates arrive as Excel serial numbers."""

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO
from xml.parsers import expat

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_REF = re.compile(r"([A-Z]+)")
_READ = 1 << 16


class NotAWorkbook(Exception):
    """The zip is not an .xlsx workbook (a .docx, a damaged file, any other zip)."""


def _column_index(ref: str) -> int:
    match = _REF.match(ref)
    if not match:
        return -1
    index = 0
    for char in match.group(1):
        index = index * 26 + (ord(char) - 64)
    return index - 1


def _parser() -> expat.XMLParserType:
    return expat.ParserCreate(namespace_separator=" ")


def _first_sheet_path(archive: zipfile.ZipFile) -> str:
    try:
        workbook = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError as exc:
        raise NotAWorkbook from exc
    first: list[str] = []
    targets: dict[str, str] = {}

    def on_workbook(name: str, attrs: dict[str, str]) -> None:
        if name == f"{MAIN_NS} sheet" and not first:
            first.append(attrs.get(f"{REL_NS} id", ""))

    def on_rels(name: str, attrs: dict[str, str]) -> None:
        if name == f"{PKG_REL_NS} Relationship":
            targets[attrs.get("Id", "")] = attrs.get("Target", "")

    for data, handler in ((workbook, on_workbook), (rels, on_rels)):
        parser = _parser()
        parser.StartElementHandler = handler
        try:
            parser.Parse(data, True)
        except expat.ExpatError as exc:
            raise NotAWorkbook from exc
    if not first or first[0] not in targets:
        raise NotAWorkbook
    target = targets[first[0]]
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    try:
        stream = archive.open("xl/sharedStrings.xml")
    except KeyError:
        return []
    strings: list[str] = []
    parts: list[str] = []
    state = {"in_t": False, "in_rph": False}

    def start(name: str, attrs: dict[str, str]) -> None:
        if name == f"{MAIN_NS} si":
            parts.clear()
        elif name == f"{MAIN_NS} t":
            state["in_t"] = True
        elif name == f"{MAIN_NS} rPh":  # phonetic guide: not part of the text
            state["in_rph"] = True

    def end(name: str) -> None:
        if name == f"{MAIN_NS} si":
            strings.append("".join(parts))
        elif name == f"{MAIN_NS} t":
            state["in_t"] = False
        elif name == f"{MAIN_NS} rPh":
            state["in_rph"] = False

    def text(data: str) -> None:
        if state["in_t"] and not state["in_rph"]:
            parts.append(data)

    parser = _parser()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.buffer_text = True
    with stream:
        parser.ParseFile(stream)
    return strings


def _number_text(raw: str) -> str:
    # Excel keeps 13812345678 as a number, sometimes as 1.3812345678E10: no ".0" or E.
    try:
        value = float(raw)
    except ValueError:
        return raw
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return raw


def iter_first_sheet(stream: IO[bytes]) -> Iterator[list[str]]:
    """Rows of the first sheet as lists of text; gaps in a row become empty strings,
    skipped rows come out as empty rows (so row numbers stay those of the sheet)."""
    try:
        archive = zipfile.ZipFile(stream)
        sheet_path = _first_sheet_path(archive)
        shared = _shared_strings(archive)
        sheet = archive.open(sheet_path)
    except (zipfile.BadZipFile, KeyError, expat.ExpatError, OSError) as exc:
        raise NotAWorkbook from exc
    return _rows(archive, sheet, shared)


@dataclass
class _Cell:
    col: int = -1
    kind: str = "n"
    in_value: bool = False


def _rows(archive: zipfile.ZipFile, sheet: IO[bytes], shared: list[str]) -> Iterator[list[str]]:
    ready: list[tuple[int, list[str]]] = []
    row: dict[int, str] = {}
    cell = _Cell()
    value_parts: list[str] = []
    state = {"row": 0, "next_col": 0}
    c_tag, v_tag, t_tag, row_tag = (f"{MAIN_NS} {n}" for n in ("c", "v", "t", "row"))

    def start(name: str, attrs: dict[str, str]) -> None:
        if name == c_tag:
            ref = attrs.get("r")
            col = _column_index(ref) if ref else state["next_col"]
            cell.col = col
            cell.kind = attrs.get("t", "n")
            state["next_col"] = col + 1
            value_parts.clear()
        elif name == v_tag or (name == t_tag and cell.kind == "inlineStr"):
            cell.in_value = True
        elif name == row_tag:
            row.clear()
            state["next_col"] = 0
            number = attrs.get("r")
            state["row"] = int(number) if number else state["row"] + 1

    def end(name: str) -> None:
        if name in (v_tag, t_tag):
            cell.in_value = False
        elif name == c_tag:
            raw = "".join(value_parts)
            kind = cell.kind
            if kind == "s":
                text = shared[int(raw)] if raw.isdigit() and int(raw) < len(shared) else ""
            elif kind == "b":
                text = "TRUE" if raw == "1" else "FALSE"
            elif kind in ("str", "inlineStr", "e"):
                text = raw
            else:
                text = _number_text(raw)
            if text and cell.col >= 0:
                row[cell.col] = text.strip()
        elif name == row_tag:
            width = max(row) + 1 if row else 0
            ready.append((int(state["row"]), [row.get(i, "") for i in range(width)]))

    def text(data: str) -> None:
        if cell.in_value:
            value_parts.append(data)

    parser = _parser()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.buffer_text = True
    emitted = 0
    try:
        with sheet:
            while chunk := sheet.read(_READ):
                parser.Parse(chunk, False)
                for number, values in ready:
                    while emitted < number - 1:  # rows the sheet leaves out
                        emitted += 1
                        yield []
                    emitted = number
                    yield values
                ready.clear()
            parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise NotAWorkbook from exc
    finally:
        archive.close()
    for number, values in ready:
        while emitted < number - 1:
            emitted += 1
            yield []
        emitted = number
        yield values
