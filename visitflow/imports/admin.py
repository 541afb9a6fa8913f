from django.contrib import admin
from django.http import HttpRequest

from visitflow.imports.models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Read-only: an import is made and run through its pages and services only."""

    list_display = (
        "id",
        "original_name",
        "created_by",
        "status",
        "total_rows",
        "created_count",
        "updated_count",
        "refused_count",
        "created",
    )
    list_filter = ("status",)
    list_select_related = ("created_by",)
    exclude = ("report", "file")
    readonly_fields = (
        "created_by",
        "original_name",
        "file_format",
        "encoding",
        "headers",
        "mapping",
        "status",
        "total_rows",
        "rows_done",
        "created_count",
        "updated_count",
        "refused_count",
        "error",
        "started_at",
        "finished_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
