from django.contrib import admin
from django.http import HttpRequest

from visitflow.visits.models import (
    CoverRequest,
    FollowUpCadence,
    PlaybookItem,
    PlaybookStep,
    Visit,
    VisitStep,
)


class PlaybookItemInline(admin.TabularInline):
    model = PlaybookItem
    extra = 1
    fields = ("position", "text", "text_en", "condition")
    ordering = ("position",)


@admin.register(PlaybookStep)
class PlaybookStepAdmin(admin.ModelAdmin):
    """The playbook of SOP 5.1: steps, their order, offsets, when they apply, checklists.

    Changes apply to visits registered afterwards; a visit keeps the steps it was given.
    """

    list_display = (
        "position",
        "name",
        "name_en",
        "anchor",
        "offset_minutes",
        "condition",
        "is_active",
    )
    list_display_links = ("name",)
    list_editable = ("position", "offset_minutes", "is_active")
    ordering = ("position",)
    inlines = [PlaybookItemInline]
    fieldsets = (
        (None, {"fields": ("code", "name", "name_en", "position", "is_active")}),
        (None, {"fields": ("anchor", "offset_minutes", "condition", "owner_rule")}),
        (None, {"fields": ("guidance", "guidance_en")}),
    )


@admin.register(FollowUpCadence)
class FollowUpCadenceAdmin(admin.ModelAdmin):
    list_display = ("level", "days")
    list_editable = ("days",)
    list_select_related = ("level",)


class VisitStepInline(admin.TabularInline):
    model = VisitStep
    extra = 0
    fields = ("playbook_step", "state", "owner", "due_at", "done_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ("customer", "starts_at", "host", "status", "importance")
    list_filter = ("status", "importance")
    search_fields = ("customer__name",)
    list_select_related = ("customer", "host")
    autocomplete_fields = ("customer", "host")
    filter_horizontal = ("co_hosts",)
    inlines = [VisitStepInline]
    show_full_result_count = False


@admin.register(CoverRequest)
class CoverRequestAdmin(admin.ModelAdmin):
    """Read-only: cover moves through its services (SOP 5.2), which keep Visit.stand_in
    in step and tell the people concerned."""

    list_display = ("visit", "host", "supervisor", "stand_in", "state", "created")
    list_filter = ("state",)
    search_fields = ("visit__customer__name", "host__display_name", "stand_in__display_name")
    list_select_related = ("visit", "visit__customer", "host", "supervisor", "stand_in")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
