from django.urls import path

from visitflow.logistics import views_board

urlpatterns = [
    path("", views_board.board, name="board"),
    path("my-trips/", views_board.trips, name="my_trips"),
]
