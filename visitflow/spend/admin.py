"""Spend in the admin is for looking only: standards, lines and payments change through
their pages (which keep the history and the approvals); nothing about money is deleted."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from visitflow.spend.models import ActualSpend, SpendLine, SpendStandard


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SpendStandard)
class SpendStandardAdmin(ReadOnlyAdmin):
    list_display = ("level", "category", "room_type", "amount", "valid_from", "created_by")
    list_filter = ("level", "category")


@admin.register(SpendLine)
class SpendLineAdmin(ReadOnlyAdmin):
    list_display = ("visit", "category", "date", "planned_amount", "standard_amount", "status")
    list_filter = ("status", "category")
    list_select_related = ("visit__customer",)


@admin.register(ActualSpend)
class ActualSpendAdmin(ReadOnlyAdmin):
    list_display = ("line", "amount_cny", "paid_on", "payer", "confirmed_at", "voided_at")
    list_select_related = ("line", "payer")
    exclude = ("receipt",)  # reached only through the permission-checked download
