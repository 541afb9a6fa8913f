from django.contrib import admin
from django.http import HttpRequest

from visitflow.notifications.models import Delivery, Notification, WebhookEndpoint


class ReadOnlyAdmin(admin.ModelAdmin):
    """Notifications and deliveries are written by the engine only; bots are set up on
    the app's own pages (through the services, with validation and the audit trail)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created", "recipient", "kind", "title", "read_at")
    list_filter = ("kind",)
    search_fields = ("title", "key")
    list_select_related = ("recipient",)
    show_full_result_count = False


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("id", "created", "channel", "status", "attempts", "next_attempt_at")
    list_filter = ("status", "channel")
    show_full_result_count = False


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ReadOnlyAdmin):
    list_display = ("kind", "team", "user", "is_active", "last_test_at", "last_test_ok")
    list_filter = ("kind", "is_active")
    exclude = ("secret",)
    list_select_related = ("team", "user")

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
