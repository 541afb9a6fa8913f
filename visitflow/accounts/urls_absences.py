from django.urls import path

from visitflow.accounts import views_absences as views

urlpatterns = [
    path("absences/", views.absence_list, name="absence_list"),
    path("absences/new/", views.absence_create, name="absence_create"),
    path("absences/import/", views.absence_import, name="absence_import"),
    path("absences/calendar/", views.absence_calendar, name="absence_calendar"),
    path("absences/<int:pk>/edit/", views.absence_edit, name="absence_edit"),
    path("absences/<int:pk>/delete/", views.absence_delete, name="absence_delete"),
]
