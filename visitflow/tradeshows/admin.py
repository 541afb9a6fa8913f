from django.contrib import admin

from visitflow.tradeshows.models import StaffPost, StaffShift, TradeShow


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
