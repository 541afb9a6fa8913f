import os
import uuid
from datetime import timedelta
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from visitflow.core.models import BaseModel


@deconstructible
class ImportStorage(FileSystemStorage):
    """Uploaded spreadsheets hold personal data: kept outside MEDIA_ROOT, never served.
    The folder is read from settings on each use (tests point it at a temporary one)."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property
    def base_location(self) -> str:
        return str(settings.IMPORT_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Import files have no public address.")


@deconstructible
class ImportFileName:
    """A server-chosen name: the uploader's file name is kept only as a label."""

    def __call__(self, instance: Any, filename: str) -> str:
        suffix = PurePath(filename).suffix.lower()[:8]
        return f"{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}{suffix}"


# A chunk of 500 rows takes well under a second; this long without one means no worker.
STALLED_AFTER = timedelta(minutes=10)


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    MAPPED = "mapped", _("Columns mapped")
    DRY_RUN_DONE = "dry_run_done", _("Checked")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class RowAction(models.TextChoices):
    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    REFUSE = "refuse", _("Refuse")


class ImportJob(BaseModel):
    """One upload of customers and contacts: mapped, checked (dry run), then imported."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        related_name="import_jobs",
    )
    file = models.FileField(
        _("file"), storage=ImportStorage(), upload_to=ImportFileName(), max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=200)
    file_format = models.CharField(_("format"), max_length=10)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    headers = models.JSONField(_("columns"), default=list)
    mapping = models.JSONField(
        _("column mapping"), default=dict, help_text=_("Column number → field.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    refused_count = models.PositiveIntegerField(_("refused"), default=0)
    # Per row: {"row": n, "action": create|update|refuse, "errors": [...]}, in the
    # importer's language; one JSON value, not 50,000 child rows.
    report = models.JSONField(_("report"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created", "-id"]
        indexes = [
            models.Index(fields=["created_by", "-created"], name="importjob_owner_idx"),
            models.Index(fields=["status", "-created"], name="importjob_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rows_done__lte=models.F("total_rows")),
                name="importjob_progress_le_total",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.original_name}"

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status == ImportStatus.DONE else 0
        return min(100, self.rows_done * 100 // self.total_rows)

    @property
    def is_running(self) -> bool:
        return self.status == ImportStatus.IMPORTING

    @property
    def is_stalled(self) -> bool:
        """Importing, but no chunk finished for a while: the worker stopped."""
        return self.is_running and timezone.now() - self.updated > STALLED_AFTER
