from django.urls import path

from visitflow.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.import_list, name="list"),
    path("new/", views.import_upload, name="upload"),
    path("template.<str:file_format>", views.import_template, name="template"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/mapping/", views.import_mapping, name="mapping"),
    path("<int:pk>/start/", views.import_start, name="start"),
    path("<int:pk>/resume/", views.import_resume, name="resume"),
]
