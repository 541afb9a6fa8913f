from itertools import islice

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from visitflow.core.exceptions import ApplicationError
from visitflow.core.forms import apply_application_error
from visitflow.core.http import AuthenticatedHttpRequest
from visitflow.imports import services
from visitflow.imports.forms import MappingForm, UploadForm
from visitflow.imports.models import ImportJob, ImportStatus, RowAction
from visitflow.imports.permissions import can_import_customers
from visitflow.imports.selectors import import_job_get_for_user, import_job_list_for_user
from visitflow.imports.template_file import template_csv, template_xlsx

PAGE_SIZE = 25
REPORT_PAGE_SIZE = 50
SAMPLE_ROWS = 3
# What a multipart body may add to the file itself (boundaries, other fields).
UPLOAD_OVERHEAD = 64 * 1024


def _require_importer(request: AuthenticatedHttpRequest) -> None:
    if not can_import_customers(request.user):
        raise PermissionDenied


@login_required
def import_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_importer(request)
    paginator = Paginator(import_job_list_for_user(request.user), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "imports/import_list.html", {"page": page})


@login_required
@csrf_exempt
def import_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Exempt only so that a 100 MB body is refused on its declared length before the
    CSRF check parses it; the form itself is CSRF-protected below."""
    _require_importer(request)
    declared = int(request.META.get("CONTENT_LENGTH") or 0)
    if request.method == "POST" and declared > settings.IMPORT_MAX_BYTES + UPLOAD_OVERHEAD:
        return _upload_page(request, UploadForm(), status=413, error=services.too_large_message())
    return _import_upload(request)


def _upload_page(
    request: AuthenticatedHttpRequest, form: UploadForm, *, status: int = 200, error: str = ""
) -> HttpResponse:
    context = {
        "form": form,
        "max_mb": settings.IMPORT_MAX_BYTES // (1024 * 1024),
        "error": error,
    }
    return render(request, "imports/import_upload.html", context, status=status)


@csrf_protect
def _import_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _upload_page(request, UploadForm())
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            job = services.import_job_create(actor=request.user, upload=form.cleaned_data["file"])
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            return redirect("imports:mapping", pk=job.pk)
    return _upload_page(request, form, status=422)


def _samples(job: ImportJob) -> list[list[str]]:
    """The first rows of the file, shown under each column to help the choice."""
    try:
        stream, table = services._open_table(job)
    except (ApplicationError, OSError):
        return []
    with stream:
        return [row for _, row in islice(table.rows, SAMPLE_ROWS)]


@login_required
def import_mapping(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_importer(request)
    job = import_job_get_for_user(request.user, pk)
    if job.status not in (ImportStatus.UPLOADED, ImportStatus.MAPPED, ImportStatus.DRY_RUN_DONE):
        return redirect("imports:detail", pk=job.pk)
    form = MappingForm(request.POST or None, headers=job.headers, initial_mapping=job.mapping)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                job = services.import_job_set_mapping(
                    actor=request.user, job=job, mapping=form.mapping()
                )
                services.import_job_dry_run(actor=request.user, job=job)
            except ApplicationError as exc:
                apply_application_error(form, exc)
            else:
                return redirect("imports:detail", pk=job.pk)
    samples = _samples(job)
    columns = [
        (form[f"col_{i}"], [row[i] if i < len(row) else "" for row in samples])
        for i in range(len(job.headers))
    ]
    return render(
        request,
        "imports/import_mapping.html",
        {"job": job, "form": form, "columns": columns},
        status=status,
    )


@login_required
def import_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_importer(request)
    running = import_job_get_for_user(request.user, pk)
    if request.htmx and request.GET.get("progress") and running.is_running:
        # The polled bar: a small read without the report.
        return render(request, "imports/import_detail.html#progress", {"job": running})
    job = import_job_get_for_user(request.user, pk, with_report=True)
    if job.status in (ImportStatus.UPLOADED, ImportStatus.MAPPED):
        return redirect("imports:mapping", pk=job.pk)
    show = request.GET.get("show", "")
    rows = job.report
    if show in RowAction.values:
        rows = [r for r in rows if r["action"] == show]
    page = Paginator(rows, REPORT_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"job": job, "page": page, "show": show, "actions": RowAction}
    if request.htmx and request.GET.get("progress"):
        # The import has just finished: the browser reloads the page with the report.
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "imports/import_detail.html", context)


@login_required
@require_POST
def import_start(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_importer(request)
    job = import_job_get_for_user(request.user, pk)
    try:
        services.import_job_start(actor=request.user, job=job)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The import has started."))
    return redirect("imports:detail", pk=job.pk)


@login_required
def import_template(request: AuthenticatedHttpRequest, file_format: str) -> HttpResponse:
    _require_importer(request)
    if file_format == "xlsx":
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        body = template_xlsx()
    elif file_format == "csv":
        content_type = "text/csv; charset=utf-8"
        body = template_csv()
    else:
        raise Http404
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="customers-template.{file_format}"'
    return response


@login_required
@require_POST
def import_resume(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_importer(request)
    job = import_job_get_for_user(request.user, pk)
    try:
        services.import_job_resume(actor=request.user, job=job)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The import has started again."))
    return redirect("imports:detail", pk=job.pk)
