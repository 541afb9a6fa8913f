from django.urls import include, path

app_name = "logistics"
urlpatterns = [
    path("", include("visitflow.logistics.urls_board")),
    path("resources/", include("visitflow.logistics.urls_resources")),
    path("transfers/", include("visitflow.logistics.urls_transfers")),
    path("meetings/", include("visitflow.logistics.urls_meetings")),
]
