"""Documents and calendars of visits: PDF brief and itinerary, .ics files and feeds."""

from django.urls import path

from visitflow.visits import views_documents as views

urlpatterns = [
    path("<int:pk>/visit.ics", views.visit_ics, name="visit_ics"),
    path("<int:pk>/brief.pdf", views.brief_pdf, name="brief_pdf"),
    path("<int:pk>/itinerary.pdf", views.itinerary_pdf, name="itinerary_pdf"),
    path("calendar/feed/", views.calendar_feed_panel, name="calendar_feed_panel"),
    path("calendar/feed/new/", views.calendar_feed_create, name="calendar_feed_create"),
    path("calendar/feed/revoke/", views.calendar_feed_revoke, name="calendar_feed_revoke"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
