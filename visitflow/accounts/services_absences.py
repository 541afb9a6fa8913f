"""Writes to absences (SOP 5.2 出差): recorded by hand, through the API or from a CSV
file. An absence over a visit the person hosts is a clash: the host and their manager
are told at once (visits.services_cover does the telling)."""

import csv
import importlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from visitflow.accounts.models import Absence, AbsenceKind, User
from visitflow.accounts.permissions import can_change_absence, can_record_absence_for
from visitflow.accounts.selectors_absences import absence_people_for_user
from visitflow.core.exceptions import ApplicationError
from visitflow.core.services import diff_snapshots, log_activity, snapshot, validate_model

ABSENCE_FIELDS = ["person", "kind", "destination", "starts_on", "ends_on", "note"]
# The longest absence one row may hold: past that it is a typo (2062 for 2026).
MAX_ABSENCE_DAYS = 366


def _field_error(field_name: str, message: str) -> ApplicationError:
    return ApplicationError(message, field_errors={field_name: [message]})


def _overlap_q(person_id: int, starts_on: date, ends_on: date) -> Q:
    return Q(person_id=person_id, starts_on__lte=ends_on, ends_on__gte=starts_on)


def _validate(absence: Absence, *, exclude_pk: int | None = None) -> None:
    if absence.kind not in AbsenceKind.values:
        raise _field_error("kind", _("Unknown kind of absence."))
    if absence.starts_on and absence.ends_on and absence.ends_on < absence.starts_on:  # type: ignore[truthy-bool]
        raise _field_error("ends_on", _("The last day away cannot be before the first."))
    if (absence.ends_on - absence.starts_on).days >= MAX_ABSENCE_DAYS:
        raise _field_error(
            "ends_on", _("An absence lasts at most %(days)s days.") % {"days": MAX_ABSENCE_DAYS}
        )
    if not absence.person.is_active:
        raise _field_error(
            "person", _("%(person)s is no longer active.") % {"person": absence.person}
        )
    other = (
        Absence.objects.filter(_overlap_q(absence.person_id, absence.starts_on, absence.ends_on))
        .exclude(pk=exclude_pk or 0)
        .first()
    )
    if other is not None:
        raise _field_error(
            "starts_on",
            _("%(person)s is already recorded away from %(start)s to %(end)s.")
            % {"person": absence.person, "start": other.starts_on, "end": other.ends_on},
        )
    validate_model(absence, exclude=["created_by"])


def _after_save(actor: User, absence: Absence) -> None:
    # Imported here: visits builds on accounts, not the other way round.
    from visitflow.visits.services_cover import absence_clashes_notify

    absence_clashes_notify(actor=actor, absence=absence)


@transaction.atomic
def absence_create(
    *,
    actor: User,
    person: User,
    starts_on: date,
    ends_on: date,
    kind: str = AbsenceKind.BUSINESS_TRIP,
    destination: str = "",
    note: str = "",
) -> Absence:
    if not can_record_absence_for(actor, person):
        raise _field_error(
            "person", _("You may not record absences for %(person)s.") % {"person": person}
        )
    absence = Absence(
        person=person,
        kind=kind,
        destination=destination.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        note=note.strip(),
        created_by=actor,
    )
    _validate(absence)
    absence.save()
    log_activity(
        actor=actor,
        action="absence.created",
        obj=absence,
        changes=diff_snapshots({}, snapshot(absence, ABSENCE_FIELDS)),
    )
    _after_save(actor, absence)
    return absence


@transaction.atomic
def absence_update(*, actor: User, absence: Absence, data: dict[str, Any]) -> Absence:
    if not can_change_absence(actor, absence):
        raise ApplicationError(_("You may not change this absence."))
    before = snapshot(absence, ABSENCE_FIELDS)
    for name in ("kind", "destination", "starts_on", "ends_on", "note"):
        if name in data:
            value = data[name]
            setattr(absence, name, value.strip() if isinstance(value, str) else value)
    if "person" in data and data["person"].pk != absence.person_id:
        if not can_record_absence_for(actor, data["person"]):
            raise _field_error(
                "person",
                _("You may not record absences for %(person)s.") % {"person": data["person"]},
            )
        absence.person = data["person"]
    _validate(absence, exclude_pk=absence.pk)
    absence.save()
    changes = diff_snapshots(before, snapshot(absence, ABSENCE_FIELDS))
    if changes:
        log_activity(actor=actor, action="absence.updated", obj=absence, changes=changes)
        _after_save(actor, absence)
    return absence


@transaction.atomic
def absence_delete(*, actor: User, absence: Absence) -> None:
    if not can_change_absence(actor, absence):
        raise ApplicationError(_("You may not change this absence."))
    log_activity(
        actor=actor,
        action="absence.deleted",
        obj=absence,
        changes=diff_snapshots(snapshot(absence, ABSENCE_FIELDS), {}),
    )
    absence.delete()


# --- Import ------------------------------------------------------------------------------

MAX_IMPORT_BYTES = 1_000_000
MAX_IMPORT_ROWS = 2000
# Column names a spreadsheet may use, in either language.
HEADERS = {
    "username": "username",
    "user": "username",
    "用户名": "username",
    "账号": "username",
    "kind": "kind",
    "type": "kind",
    "类型": "kind",
    "destination": "destination",
    "目的地": "destination",
    "starts_on": "starts_on",
    "start": "starts_on",
    "from": "starts_on",
    "开始日期": "starts_on",
    "ends_on": "ends_on",
    "end": "ends_on",
    "to": "ends_on",
    "结束日期": "ends_on",
    "note": "note",
    "备注": "note",
}
REQUIRED_COLUMNS = ("username", "starts_on", "ends_on")
KIND_WORDS = {
    "business_trip": AbsenceKind.BUSINESS_TRIP,
    "business trip": AbsenceKind.BUSINESS_TRIP,
    "trip": AbsenceKind.BUSINESS_TRIP,
    "出差": AbsenceKind.BUSINESS_TRIP,
    "leave": AbsenceKind.LEAVE,
    "请假": AbsenceKind.LEAVE,
    "休假": AbsenceKind.LEAVE,
    "年假": AbsenceKind.LEAVE,
    "other": AbsenceKind.OTHER,
    "其他": AbsenceKind.OTHER,
    "": AbsenceKind.BUSINESS_TRIP,
}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d")


@dataclass
class ImportRowError:
    line: int  # the line of the file, the header being line 1
    message: str


@dataclass
class ImportResult:
    created: list[Absence] = field(default_factory=list)
    errors: list[ImportRowError] = field(default_factory=list)


def _decode(content: bytes) -> str:
    # Excel in China saves "CSV" as GB18030 unless told UTF-8; both are accepted.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ApplicationError(_("The file is neither UTF-8 nor GBK text; save it as CSV."))


def _parse_date(value: str) -> date | None:
    value = value.strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()  # noqa: DTZ007  # a calendar day
        except ValueError:
            continue
    return None


@dataclass
class _Row:
    line: int
    person: User
    kind: str
    destination: str
    starts_on: date
    ends_on: date
    note: str


XLSX_MAGIC = b"PK\x03\x04"  # an .xlsx workbook is a zip archive


def _cell_text(value: object) -> str:
    """A spreadsheet cell as the CSV would have it: dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _sheet_lines(content: bytes) -> Iterator[list[str]]:
    """The first sheet of an Excel workbook, line by line (openpyxl, read-only)."""
    # openpyxl ships no type information; imported by name so its objects are Any
    # whether or not stubs are installed later.
    openpyxl = importlib.import_module("openpyxl")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # zipfile/openpyxl raise many kinds for a damaged file
        raise ApplicationError(_("The Excel file cannot be read; save it again as .xlsx.")) from exc
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [_cell_text(value) for value in row]
    finally:
        workbook.close()


def _lines(content: bytes) -> Iterator[list[str]]:
    if content.startswith(XLSX_MAGIC):
        return _sheet_lines(content)
    return csv.reader(io.StringIO(_decode(content)))


def _read_rows(actor: User, reader: Iterator[list[str]], result: ImportResult) -> list[_Row]:
    header = next(reader, None)
    if not header:
        raise ApplicationError(_("The file is empty."))
    columns = [HEADERS.get(name.strip().lower(), "") for name in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise ApplicationError(
            _("The first line must name the columns; missing: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    people = {u.username: u for u in absence_people_for_user(actor)}
    rows: list[_Row] = []
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(rows) + len(result.errors) >= MAX_IMPORT_ROWS:
            raise ApplicationError(
                _("A file holds at most %(rows)s absences.") % {"rows": MAX_IMPORT_ROWS}
            )
        data = {
            name: (values[i].strip() if i < len(values) else "")
            for i, name in enumerate(columns)
            if name
        }
        problems = []
        person = people.get(data["username"])
        if person is None:
            problems.append(
                _("“%(username)s” is nobody you may record absences for.")
                % {"username": data["username"]}
            )
        kind = KIND_WORDS.get(data.get("kind", "").lower())
        if kind is None:
            problems.append(_("Unknown kind “%(kind)s”.") % {"kind": data.get("kind", "")})
        starts_on, ends_on = _parse_date(data["starts_on"]), _parse_date(data["ends_on"])
        for value, parsed in ((data["starts_on"], starts_on), (data["ends_on"], ends_on)):
            if parsed is None:
                problems.append(
                    _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value or "—"}
                )
        if starts_on and ends_on and ends_on < starts_on:
            problems.append(_("The last day away cannot be before the first."))
        if len(data.get("destination", "")) > 100 or len(data.get("note", "")) > 300:
            problems.append(_("The destination or the note is too long."))
        if problems or person is None or kind is None or starts_on is None or ends_on is None:
            result.errors.append(ImportRowError(line, " ".join(problems)))
            continue
        rows.append(
            _Row(
                line=line,
                person=person,
                kind=kind,
                destination=data.get("destination", ""),
                starts_on=starts_on,
                ends_on=ends_on,
                note=data.get("note", ""),
            )
        )
    return rows


@transaction.atomic
def absence_import_file(*, actor: User, content: bytes) -> ImportResult:
    """A CSV file or an Excel workbook (.xlsx, first sheet), told apart by their bytes.

    All or nothing: every bad row is reported with its line and reason, and then
    nothing is saved, so fixing the file and importing it again never doubles a row."""
    if len(content) > MAX_IMPORT_BYTES:
        raise ApplicationError(_("The file is larger than 1 MB."))
    result = ImportResult()
    rows = _read_rows(actor, _lines(content), result)
    for row in rows:
        try:
            with transaction.atomic():
                absence = absence_create(
                    actor=actor,
                    person=row.person,
                    kind=row.kind,
                    destination=row.destination,
                    starts_on=row.starts_on,
                    ends_on=row.ends_on,
                    note=row.note,
                )
        except ApplicationError as exc:
            result.errors.append(ImportRowError(row.line, str(exc.message)))
        else:
            result.created.append(absence)
    result.errors.sort(key=lambda e: e.line)
    if result.errors:
        transaction.set_rollback(True)
        result.created = []
    return result
