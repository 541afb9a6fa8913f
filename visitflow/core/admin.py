from django.contrib import admin
from django.http import HttpRequest

from visitflow.core.models import ActivityLog


@admin.register(ActivityLog)
class ActivityLogAdmin(admin.ModelAdmin):
    """The audit trail is read-only, even for administrators."""

    list_display = ("created", "actor", "action", "object_repr")
    list_filter = ("action",)
    search_fields = ("object_repr",)
    list_select_related = ("actor",)
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
