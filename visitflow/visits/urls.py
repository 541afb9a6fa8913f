from django.urls import include, path

from visitflow.visits import views

app_name = "visits"
urlpatterns = [
    path("", views.visit_list, name="list"),
    path("my-day/", views.my_day, name="my_day"),
    path("calendar/", views.visit_calendar, name="calendar"),
    path("new/", views.visit_create, name="create"),
    path("requests/", views.request_list, name="requests"),
    path("feedback/", views.feedback_list, name="feedback"),
    path("follow-ups/", views.follow_up_list, name="follow_ups"),
    path("follow-ups/<int:pk>/log/", views.follow_up_log, name="follow_up_log"),
    path("<int:pk>/", views.visit_detail, name="detail"),
    path("<int:pk>/edit/", views.visit_edit, name="edit"),
    path("<int:pk>/move/<str:target>/", views.visit_transition, name="transition"),
    path("<int:pk>/visitors/new/", views.visitor_add, name="visitor_add"),
    path("visitors/<int:pk>/remove/", views.visitor_remove, name="visitor_remove"),
    path("<int:pk>/legs/new/", views.leg_add, name="leg_add"),
    path("legs/<int:pk>/edit/", views.leg_edit, name="leg_edit"),
    path("legs/<int:pk>/remove/", views.leg_remove, name="leg_remove"),
    path("steps/<int:pk>/<str:action>/", views.step_action, name="step_action"),
    path("items/<int:pk>/toggle/", views.item_toggle, name="item_toggle"),
    path("<int:pk>/requests/new/", views.request_add, name="request_add"),
    path("requests/<int:pk>/state/", views.request_state, name="request_state"),
    path("<int:pk>/return-call/", views.return_call, name="return_call"),
    path("<int:pk>/outcome/", views.visit_outcome, name="outcome"),
    path("", include("visitflow.visits.urls_documents")),
    path("", include("visitflow.visits.urls_cover")),
]
