from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from visitflow.accounts.models import Absence, Team, User
from visitflow.accounts.services import user_set_role


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "manager")
    search_fields = ("name",)
    autocomplete_fields = ("manager",)
    list_select_related = ("manager",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "display_name", "role", "team", "mobile", "is_active")
    list_filter = ("role", "team", "is_active")
    search_fields = ("username", "display_name", "mobile", "email")
    list_select_related = ("team",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Person"),
            {"fields": ("display_name", "first_name", "last_name", "email", "mobile", "language")},
        ),
        (_("Role and team"), {"fields": ("role", "team", "is_active")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "display_name", "role", "team", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")

    def save_model(self, request: HttpRequest, obj: User, form: object, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # The role's group carries the permissions; keep it in step with the role field.
        user_set_role(actor=request.user, user=obj, role=obj.role)  # type: ignore[arg-type]  # admin: staff only


@admin.register(Absence)
class AbsenceAdmin(admin.ModelAdmin):
    """Read-only: absences are written through their service (SOP 5.2 clash checks and
    notifications), on the absences page, the API or the import."""

    list_display = ("person", "kind", "destination", "starts_on", "ends_on", "created_by")
    list_filter = ("kind", "person__team")
    search_fields = ("person__username", "person__display_name", "destination")
    date_hierarchy = "starts_on"
    list_select_related = ("person", "created_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
