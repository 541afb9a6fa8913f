from django.urls import path

from visitflow.logistics import views_transfers as views

urlpatterns = [
    path("plan/<int:leg_pk>/", views.transfer_plan, name="transfer_plan"),
    path("<int:pk>/", views.transfer_detail, name="transfer_detail"),
    path("<int:pk>/escort/", views.transfer_escort, name="transfer_escort"),
    path("<int:pk>/message/", views.transfer_message, name="transfer_message"),
    path("<int:pk>/move/<str:state>/", views.transfer_move, name="transfer_move"),
]
