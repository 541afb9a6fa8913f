"""Reads of import jobs: a person sees only their own."""

from django.db.models import QuerySet
from django.http import Http404

from visitflow.accounts.models import User
from visitflow.imports.models import ImportJob
from visitflow.imports.permissions import can_import_customers

# The list never loads the per-row report (up to 50,000 entries) or the headers.
LIST_FIELDS = (
    "id",
    "created",
    "created_by_id",
    "original_name",
    "file_format",
    "status",
    "total_rows",
    "rows_done",
    "created_count",
    "updated_count",
    "refused_count",
)


def import_job_list_for_user(user: User) -> QuerySet[ImportJob]:
    if not can_import_customers(user):
        return ImportJob.objects.none()
    return ImportJob.objects.filter(created_by=user).only(*LIST_FIELDS).order_by("-created", "-id")


def import_job_get_for_user(user: User, pk: int, *, with_report: bool = False) -> ImportJob:
    """One of the user's own imports, or 404 (someone else's is "not found" too)."""
    qs = ImportJob.objects.filter(created_by=user, pk=pk)
    if not with_report:
        qs = qs.defer("report")
    job = qs.first() if can_import_customers(user) else None
    if job is None:
        raise Http404
    return job
