from django.urls import path

from visitflow.tradeshows import views

app_name = "tradeshows"

urlpatterns = [
    path("", views.show_list, name="list"),
    path("new/", views.show_create, name="create"),
    path("<int:pk>/", views.show_detail, name="detail"),
    path("<int:pk>/edit/", views.show_edit, name="edit"),
    path("<int:pk>/posts/", views.post_create, name="post_create"),
    path("<int:pk>/posts/<int:post_pk>/delete/", views.post_delete, name="post_delete"),
    path("<int:pk>/shifts/", views.shift_create, name="shift_create"),
    path("<int:pk>/shifts/<int:shift_pk>/delete/", views.shift_delete, name="shift_delete"),
]
