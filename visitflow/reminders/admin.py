from django.contrib import admin

from visitflow.reminders.models import Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin[Reminder]):
    """Read-only: reminders are planned from what is due, never typed in."""

    list_display = ("send_at", "kind", "recipient", "status", "sent_at", "source")
    list_filter = ("status", "kind")
    search_fields = ("key", "recipient__username", "recipient__display_name")
    date_hierarchy = "send_at"
    list_select_related = ("recipient",)
    raw_id_fields = ("recipient", "visit", "notification")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
