from django.contrib import admin

from visitflow.tradeshows.models import (
    BoothChecklistItem,
    BoothVisit,
    ChecklistTemplateItem,
    Invitation,
    Lead,
    StaffPost,
    StaffShift,
    TradeShow,
)


class StaffPostInline(admin.TabularInline):
    model = StaffPost
    extra = 0


@admin.register(TradeShow)
class TradeShowAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "starts_on", "ends_on", "booth_number", "organizer"]
    list_filter = ["city"]
    search_fields = ["name", "venue", "city"]
    date_hierarchy = "starts_on"
    filter_horizontal = ["team"]
    inlines = [StaffPostInline]


@admin.register(StaffShift)
class StaffShiftAdmin(admin.ModelAdmin):
    """Read-only: shifts are written through their service (one post at a time, no absences)."""

    list_display = ["person", "post", "day", "starts_at", "ends_at"]
    list_filter = ["day"]
    list_select_related = ["person", "post"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(ChecklistTemplateItem)
class ChecklistTemplateItemAdmin(admin.ModelAdmin):
    """The booth standard (《SI标准》, SOP 5.3.2): each show's checklist starts from it."""

    list_display = ["name", "name_en", "category", "quantity", "unit", "is_gift", "is_active"]
    list_editable = ["quantity", "is_active"]
    list_filter = ["category", "is_active"]
    ordering = ["position", "pk"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: invitations change through their services (letters, answers, calls)."""

    list_display = ["contact", "customer", "show", "owner", "status", "letter_sent_at"]
    list_filter = ["status", "show"]
    list_select_related = ["contact", "customer", "show", "owner"]
    exclude = ["token"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written through their services (stock, notifications, audit), read here."""

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(BoothChecklistItem)
class BoothChecklistItemAdmin(ReadOnlyAdmin):
    list_display = ["name", "show", "quantity", "unit", "packer", "state"]
    list_filter = ["state", "category"]
    list_select_related = ["show", "packer"]


@admin.register(Lead)
class LeadAdmin(ReadOnlyAdmin):
    list_display = ["name", "company", "show", "owner", "status", "grade", "created"]
    list_filter = ["status", "grade"]
    search_fields = ["name", "company", "email"]
    list_select_related = ["show", "owner"]


@admin.register(BoothVisit)
class BoothVisitAdmin(ReadOnlyAdmin):
    list_display = ["visitor_name", "show", "state", "arrived_at", "attended_by"]
    list_filter = ["state"]
    list_select_related = ["show", "attended_by"]
