from django.urls import path

from visitflow.logistics import views_resources as views

# Included at /logistics/resources/ in the `logistics` namespace; <kind> is one of
# views_resources.KINDS: vehicles, rooms, stations, gifts.
urlpatterns = [
    path("<slug:kind>/", views.resource_list, name="resource_list"),
    path("<slug:kind>/new/", views.resource_create, name="resource_create"),
    path("<slug:kind>/<int:pk>/edit/", views.resource_edit, name="resource_edit"),
    path(
        "<slug:kind>/<int:pk>/deactivate/",
        views.resource_set_active,
        {"active": False},
        name="resource_deactivate",
    ),
    path(
        "<slug:kind>/<int:pk>/activate/",
        views.resource_set_active,
        {"active": True},
        name="resource_activate",
    ),
]
