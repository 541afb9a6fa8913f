from django.contrib import admin

from visitflow.customers.models import Contact, Customer, CustomerLevel


@admin.register(CustomerLevel)
class CustomerLevelAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "rank", "is_active")
    list_editable = ("rank", "is_active")
    ordering = ("rank",)


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ("name", "gender", "title", "mobile", "email", "is_primary")


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "city", "owner", "is_active", "updated")
    list_filter = ("is_active", "level")
    search_fields = ("name", "short_name")
    list_select_related = ("level", "owner")
    autocomplete_fields = ("owner",)
    inlines = [ContactInline]
    show_full_result_count = False
