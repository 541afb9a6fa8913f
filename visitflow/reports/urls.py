from django.urls import path

from visitflow.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("quality/", views.quality, name="quality"),
]
