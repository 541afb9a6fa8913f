"""Logistics in the Django admin. Resources save through the services (plates normalised,
offices never toured, audited); records that carry a life cycle or an audit trail —
bookings, transfers, meetings, gift issues, stock movements, customer messages — are
read-only here, because changing them past the services would skip the conflict checks
and the stock ledger. Message templates and the leader matrix are edited here."""

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from visitflow.core.exceptions import ApplicationError
from visitflow.core.forms import apply_application_error
from visitflow.logistics.models import (
    Booking,
    CustomerMessage,
    GiftIssue,
    GiftItem,
    LeaderMeeting,
    LeaderRule,
    MessageTemplate,
    Room,
    Station,
    StockMovement,
    Transfer,
    Vehicle,
)
from visitflow.logistics.services import resources as services


class ServiceAdmin(admin.ModelAdmin):
    """Validates through the service in the form's clean step, so a broken rule is shown on
    its field; saving goes through the service too."""

    service_fields: list[str] = []

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form_class = super().get_form(request, obj, change=change, **kwargs)
        admin_self = self

        class Form(form_class):  # type: ignore[valid-type,misc]
            def _post_clean(self) -> None:
                super()._post_clean()
                if self.errors:
                    return
                try:
                    services.resource_check(self.instance)
                except ApplicationError as exc:
                    apply_application_error(self, exc)
                    return
                self._service_data = {
                    name: self.cleaned_data[name]
                    for name in admin_self.service_fields
                    if name in self.cleaned_data
                }

        return Form

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        data = getattr(form, "_service_data", {})
        if change:
            saved = self.update(request.user, type(obj).objects.get(pk=obj.pk), data)
        else:
            saved = self.create(request.user, data)
        obj.pk = saved.pk
        for name in self.service_fields:
            setattr(obj, name, getattr(saved, name))

    # Each registered admin names its resource's services: create(actor, data) and
    # update(actor, obj, data). Declared, not defined: there is no generic resource.
    create: Callable[[Any, dict[str, Any]], Any]
    update: Callable[[Any, Any, dict[str, Any]], Any]


@admin.register(Vehicle)
class VehicleAdmin(ServiceAdmin):
    list_display = ("plate", "model_name", "seats", "default_driver", "is_active")
    list_filter = ("is_active",)
    search_fields = ("plate", "model_name")
    list_select_related = ("default_driver",)
    service_fields = services.VEHICLE_FIELDS

    def create(self, actor: Any, data: dict[str, Any]) -> Any:
        return services.vehicle_create(actor=actor, **data)

    def update(self, actor: Any, obj: Any, data: dict[str, Any]) -> Any:
        return services.vehicle_update(actor=actor, vehicle=obj, data=data)


@admin.register(Room)
class RoomAdmin(ServiceAdmin):
    list_display = ("name", "kind", "capacity", "tour_allowed", "is_active")
    list_filter = ("kind", "tour_allowed", "is_active")
    search_fields = ("name",)
    service_fields = services.ROOM_FIELDS

    def create(self, actor: Any, data: dict[str, Any]) -> Any:
        return services.room_create(actor=actor, **data)

    def update(self, actor: Any, obj: Any, data: dict[str, Any]) -> Any:
        return services.room_update(actor=actor, room=obj, data=data)


@admin.register(Station)
class StationAdmin(ServiceAdmin):
    list_display = ("name", "name_en", "kind", "travel_minutes", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "name_en")
    service_fields = services.STATION_FIELDS

    def create(self, actor: Any, data: dict[str, Any]) -> Any:
        return services.station_create(actor=actor, **data)

    def update(self, actor: Any, obj: Any, data: dict[str, Any]) -> Any:
        return services.station_update(actor=actor, station=obj, data=data)


@admin.register(GiftItem)
class GiftItemAdmin(ServiceAdmin):
    list_display = ("name", "unit_value", "stock", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name",)
    # Stock moves only through gift issues and receipts, each recorded as a movement.
    readonly_fields = ("stock",)
    service_fields = services.GIFT_FIELDS

    def create(self, actor: Any, data: dict[str, Any]) -> Any:
        return services.gift_item_create(actor=actor, **data)

    def update(self, actor: Any, obj: Any, data: dict[str, Any]) -> Any:
        return services.gift_item_update(actor=actor, item=obj, data=data)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "purpose", "starts_at", "ends_at", "status", "visit")
    list_filter = ("status", "purpose")
    list_select_related = ("vehicle", "room", "person", "visit__customer")
    date_hierarchy = "starts_at"
    show_full_result_count = False


@admin.register(Transfer)
class TransferAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "kind", "state", "leaves_at", "vehicle", "escort", "driver")
    list_filter = ("kind", "state", "no_car")
    list_select_related = ("leg", "vehicle", "escort", "driver")
    date_hierarchy = "leaves_at"
    show_full_result_count = False


@admin.register(CustomerMessage)
class CustomerMessageAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "visit", "channel", "language", "sent_at", "sent_by")
    list_filter = ("channel", "language")
    list_select_related = ("visit__customer", "sent_by")
    show_full_result_count = False


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    list_display = ("code", "language", "updated")
    list_filter = ("language",)


@admin.register(LeaderRule)
class LeaderRuleAdmin(admin.ModelAdmin):
    list_display = ("level", "importance", "leader")
    list_filter = ("leader", "importance")
    list_editable = ("leader",)
    list_select_related = ("level",)


@admin.register(LeaderMeeting)
class LeaderMeetingAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "state", "starts_at", "room")
    list_filter = ("state",)
    list_select_related = ("leader", "visit__customer", "room")
    date_hierarchy = "starts_at"


@admin.register(GiftIssue)
class GiftIssueAdmin(ReadOnlyAdmin):
    list_display = ("item", "quantity", "visit", "issued_by", "handed_over_at", "returned")
    list_filter = ("returned",)
    list_select_related = ("item", "visit__customer", "issued_by")


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdmin):
    list_display = ("item", "change", "stock_after", "created", "by", "note")
    list_select_related = ("item", "by")
