"""SOP 5.2: cover for a host who is away, new dates, the apology and the hand-over brief."""

from django.urls import path

from visitflow.visits import views_cover as views

urlpatterns = [
    path("cover-needed/", views.cover_needed, name="cover_needed"),
    path("clash-check/", views.clash_check, name="clash_check"),
    path("<int:pk>/cover/", views.cover_request, name="cover_request"),
    path("cover/<int:pk>/assign/", views.cover_assign, name="cover_assign"),
    path("cover/<int:pk>/cancel/", views.cover_cancel, name="cover_cancel"),
    path("cover/<int:pk>/<str:answer>/", views.cover_answer, name="cover_answer"),
    path("<int:pk>/reschedule/", views.reschedule_propose, name="reschedule_propose"),
    path("reschedules/<int:pk>/<str:answer>/", views.reschedule_answer, name="reschedule_answer"),
    path("<int:pk>/apology/", views.apology, name="apology"),
    path("<int:pk>/handover/", views.handover, name="handover"),
]
