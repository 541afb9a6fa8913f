"""Every write of an import: upload, mapping, dry run, start and the background run."""

import logging
from collections.abc import Sequence
from typing import IO, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from visitflow.accounts.models import User
from visitflow.core.exceptions import ApplicationError
from visitflow.core.services import log_activity
from visitflow.customers.models import Contact, Customer, CustomerSource
from visitflow.imports.mapping import FIELD_BY_KEY, REQUIRED_FIELDS, suggest_mapping
from visitflow.imports.models import ImportJob, ImportStatus, RowAction
from visitflow.imports.permissions import can_import_customers, can_view_import
from visitflow.imports.planning import CHUNK, PlanContext, RowPlan, plan_rows
from visitflow.imports.reading import Table, read_table
from visitflow.imports.tasks import run_import

logger = logging.getLogger(__name__)

# The allowed moves, in one place (STYLE: state as a table).
TRANSITIONS: dict[str, set[str]] = {
    ImportStatus.UPLOADED: {ImportStatus.MAPPED},
    ImportStatus.MAPPED: {ImportStatus.MAPPED, ImportStatus.DRY_RUN_DONE},
    ImportStatus.DRY_RUN_DONE: {ImportStatus.MAPPED, ImportStatus.IMPORTING},
    ImportStatus.IMPORTING: {ImportStatus.DONE, ImportStatus.FAILED},
}


def _move(job: ImportJob, to: str) -> None:
    if to not in TRANSITIONS.get(job.status, set()):
        raise ApplicationError(
            _("This import is “%(status)s”: that step is not possible now.")
            % {"status": job.get_status_display()}
        )
    job.status = to


def _check_actor(actor: User, job: ImportJob | None = None) -> None:
    if not can_import_customers(actor) or (job is not None and not can_view_import(actor, job)):
        raise ApplicationError(_("You may not import customers."))


def too_large_message() -> str:
    return _("The file is larger than %(size)d MB: split it into smaller files.") % {
        "size": settings.IMPORT_MAX_BYTES // (1024 * 1024)
    }


def _open_table(job: ImportJob) -> tuple[IO[bytes], Table]:
    stream = job.file.open("rb")
    try:
        return stream, read_table(stream)
    except BaseException:
        stream.close()
        raise


@transaction.atomic
def import_job_create(*, actor: User, upload: UploadedFile) -> ImportJob:
    """Keep the upload under a server-chosen name, once it reads as a table."""
    _check_actor(actor)
    if upload.size is None or upload.size > settings.IMPORT_MAX_BYTES:
        raise ApplicationError(too_large_message())
    table = read_table(upload.file)  # type: ignore[arg-type]
    headers = [h or _("Column %(n)d") % {"n": i + 1} for i, h in enumerate(table.headers)]
    if next(table.rows, None) is None:
        raise ApplicationError(_("The file has a header row but no data rows."))
    upload.seek(0)
    job = ImportJob(
        created_by=actor,
        original_name=(upload.name or "")[:200],
        file_format=table.file_format,
        encoding=table.encoding,
        headers=headers,
        mapping=suggest_mapping(table.headers),
    )
    job.file.save(upload.name or "upload", upload, save=False)
    job.save()
    log_activity(
        actor=actor,
        action="import.uploaded",
        obj=job,
        changes={"file": ["", job.original_name], "encoding": ["", job.encoding]},
    )
    return job


def validate_mapping(headers: Sequence[str], mapping: dict[str, str]) -> dict[str, str]:
    """Column → field with each field at most once and the required ones present."""
    clean: dict[str, str] = {}
    seen: dict[str, str] = {}
    field_errors: dict[str, list[str]] = {}
    for column, key in mapping.items():
        if not key:
            continue
        if key not in FIELD_BY_KEY or not column.isdigit() or int(column) >= len(headers):
            raise ApplicationError(_("The column mapping is not valid."))
        if key in seen:
            msg = _("“%(field)s” is chosen for two columns: %(a)s and %(b)s.") % {
                "field": FIELD_BY_KEY[key].label,
                "a": headers[int(seen[key])],
                "b": headers[int(column)],
            }
            field_errors.setdefault(f"col_{column}", []).append(msg)
        seen[key] = column
        clean[column] = key
    missing = [FIELD_BY_KEY[k].label for k in REQUIRED_FIELDS if k not in seen]
    if missing:
        msg = _("Choose a column for: %(fields)s.") % {"fields": ", ".join(map(str, missing))}
        field_errors.setdefault("__all__", []).append(msg)
    if field_errors:
        first = next(iter(field_errors.values()))[0]
        raise ApplicationError(first, field_errors=field_errors)
    return clean


@transaction.atomic
def import_job_set_mapping(*, actor: User, job: ImportJob, mapping: dict[str, str]) -> ImportJob:
    _check_actor(actor, job)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    _move(job, ImportStatus.MAPPED)
    job.mapping = validate_mapping(job.headers, mapping)
    job.report = []
    job.total_rows = job.rows_done = 0
    job.created_count = job.updated_count = job.refused_count = 0
    job.save()
    log_activity(actor=actor, action="import.mapped", obj=job, changes={"mapping": job.mapping})
    return job


def _count(plans: list[dict[str, Any]], action: str) -> int:
    return sum(1 for p in plans if p["action"] == action)


@transaction.atomic
def import_job_dry_run(*, actor: User, job: ImportJob) -> ImportJob:
    """Check every row without writing a customer: what would be created, updated, refused."""
    _check_actor(actor, job)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    _move(job, ImportStatus.DRY_RUN_DONE)
    stream, table = _open_table(job)
    with stream:
        ctx = PlanContext(actor)
        report = [plan.as_report() for plan in plan_rows(ctx, table.rows, job.mapping)]
    job.report = report
    job.total_rows = len(report)
    job.rows_done = 0
    job.created_count = _count(report, RowAction.CREATE)
    job.updated_count = _count(report, RowAction.UPDATE)
    job.refused_count = _count(report, RowAction.REFUSE)
    job.save()
    return job


@transaction.atomic
def import_job_start(*, actor: User, job: ImportJob) -> ImportJob:
    """Hand the checked file to the background worker."""
    _check_actor(actor, job)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    _move(job, ImportStatus.IMPORTING)
    job.rows_done = 0
    job.started_at = timezone.now()
    job.error = ""
    job.save()
    log_activity(actor=actor, action="import.started", obj=job)
    job_id = job.pk
    transaction.on_commit(lambda: run_import.enqueue(job_id))
    return job


@transaction.atomic
def import_job_resume(*, actor: User, job: ImportJob) -> ImportJob:
    """Run again an import whose worker stopped (no progress for STALLED_AFTER).

    Safe to repeat: rows already in are found by name and planned as updates of the
    importer's own customers, and a contact already there by name is not added twice."""
    _check_actor(actor, job)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if not job.is_stalled:
        raise ApplicationError(_("This import is running; wait for it to finish."))
    job.rows_done = 0
    job.save()
    log_activity(actor=actor, action="import.resumed", obj=job)
    job_id = job.pk
    transaction.on_commit(lambda: run_import.enqueue(job_id))
    return job


def _insert(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """INSERT many rows with one prepared statement (executemany).

    bulk_create() spends about 0.3 ms an object building model instances and preparing
    each value through its field; 100,000 objects (customers and contacts) would take
    half the minute issue 9 allows. The values here are plain text, numbers and booleans
    already checked by the planner; every other column gets its field's default, and
    created/updated the time of the chunk."""
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    constant = {
        f.attname: (
            now
            if f.attname in ("created", "updated")
            else f.get_db_prep_save(f.get_default(), connection)
        )
        for f in fields
    }
    quote = connection.ops.quote_name
    # Table and column names come from the model, values go as parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(quote(f.column or f.attname) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    names = [f.attname for f in fields]
    params = [
        [row.get(name, constant[name]) if name in row else constant[name] for name in names]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _write(plans: list[RowPlan], job: ImportJob) -> None:
    """Create and update the customers (with their contacts) of these rows, in bulk."""
    now = timezone.now()
    creates = [p for p in plans if p.action == RowAction.CREATE]
    updates = [p for p in plans if p.action == RowAction.UPDATE]
    _insert(
        Customer,
        [{"name": p.name, "source": CustomerSource.IMPORT, **p.customer} for p in creates],
    )
    new_ids = dict(
        Customer.objects.filter(name__in=[p.name for p in creates]).values_list("name", "id")
    )
    contacts: list[dict[str, Any]] = [
        {"customer_id": new_ids[p.name], "is_primary": True, **p.contact}
        for p in creates
        if p.contact
    ]
    if updates:
        ids = [p.existing_id for p in updates if p.existing_id is not None]
        current = Customer.objects.select_for_update().in_bulk(ids)
        fields: set[str] = {"updated"}
        for p in updates:
            customer = current[p.existing_id or 0]
            for key, value in p.customer.items():
                setattr(customer, key, value)
                fields.add(key)
            customer.updated = now
        Customer.objects.bulk_update(list(current.values()), sorted(fields))
        known: dict[int, set[str]] = {}
        with_primary: set[int] = set()
        for customer_id, name, primary in Contact.objects.filter(customer_id__in=ids).values_list(
            "customer_id", "name", "is_primary"
        ):
            known.setdefault(customer_id, set()).add(name.lower())
            if primary:
                with_primary.add(customer_id)
        for p in updates:
            cid = p.existing_id
            if p.contact and cid and p.contact["name"].lower() not in known.get(cid, set()):
                contacts.append(
                    {"customer_id": cid, "is_primary": cid not in with_primary, **p.contact}
                )
                known.setdefault(cid, set()).add(p.contact["name"].lower())
                with_primary.add(cid)
    _insert(Contact, contacts)


def _apply_chunk(plans: list[RowPlan], job: ImportJob) -> None:
    """A chunk goes in as one transaction; if the database refuses it (a name registered
    meanwhile), each row is tried alone, so a row goes in whole or is reported."""
    writable = [p for p in plans if p.action != RowAction.REFUSE]
    if not writable:
        return
    try:
        with transaction.atomic():
            _write(writable, job)
        return
    except (IntegrityError, DatabaseError):
        logger.info("Import %s: chunk refused, retrying row by row", job.pk)
    for plan in writable:
        try:
            with transaction.atomic():
                _write([plan], job)
        except (IntegrityError, DatabaseError):
            plan.action = RowAction.REFUSE
            plan.errors = [_("Not saved: a customer with this name was registered meanwhile.")]


def import_job_run(*, job_id: int) -> int:
    """The background import; returns how many rows went in."""
    job = ImportJob.objects.select_related("created_by").defer("report").get(pk=job_id)
    if job.status != ImportStatus.IMPORTING:
        return 0
    actor = job.created_by
    with translation.override(actor.language or settings.LANGUAGE_CODE):
        return _run(job, actor)


def _run(job: ImportJob, actor: User) -> int:
    report: list[dict[str, Any]] = []
    counts: dict[str, int] = {RowAction.CREATE: 0, RowAction.UPDATE: 0, RowAction.REFUSE: 0}
    try:
        _check_actor(actor, job)
        stream, table = _open_table(job)
        with stream:
            ctx = PlanContext(actor)
            batch: list[RowPlan] = []
            for plan in plan_rows(ctx, table.rows, job.mapping):
                batch.append(plan)
                if len(batch) >= CHUNK:
                    _flush(job, batch, report, counts)
            _flush(job, batch, report, counts)
    except ApplicationError as exc:
        return _finish(job, actor, report, counts, error=str(exc.message))
    except Exception:
        logger.exception("Import %s failed", job.pk)
        _finish(job, actor, report, counts, error=_("The import stopped on an unexpected error."))
        raise
    return _finish(job, actor, report, counts)


def _flush(
    job: ImportJob, batch: list[RowPlan], report: list[dict[str, Any]], counts: dict[str, int]
) -> None:
    _apply_chunk(batch, job)
    for plan in batch:
        counts[plan.action] += 1
        report.append(plan.as_report())
    batch.clear()
    # Progress for the page's bar; the total may grow past the dry run's if the file did.
    ImportJob.objects.filter(pk=job.pk).update(
        rows_done=len(report),
        total_rows=max(job.total_rows, len(report)),
        created_count=counts[RowAction.CREATE],
        updated_count=counts[RowAction.UPDATE],
        refused_count=counts[RowAction.REFUSE],
        updated=timezone.now(),  # the heartbeat a stalled import is recognised by
    )
    job.total_rows = max(job.total_rows, len(report))


@transaction.atomic
def _finish(
    job: ImportJob,
    actor: User,
    report: list[dict[str, Any]],
    counts: dict[str, int],
    *,
    error: str = "",
) -> int:
    job.status = ImportStatus.FAILED if error else ImportStatus.DONE
    job.error = error
    job.report = report
    job.rows_done = len(report)
    job.total_rows = max(job.total_rows, len(report))
    job.created_count = counts[RowAction.CREATE]
    job.updated_count = counts[RowAction.UPDATE]
    job.refused_count = counts[RowAction.REFUSE]
    job.finished_at = timezone.now()
    job.save()
    # One audit row per job, not per customer: the customers say "source: import".
    log_activity(
        actor=actor,
        action="import.failed" if error else "import.done",
        obj=job,
        changes={
            "created": ["", str(job.created_count)],
            "updated": ["", str(job.updated_count)],
            "refused": ["", str(job.refused_count)],
        },
    )
    return job.created_count + job.updated_count
