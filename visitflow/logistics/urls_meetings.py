from django.urls import path

from visitflow.logistics import views_meetings as views

urlpatterns = [
    path("mine/", views.meeting_mine, name="meeting_mine"),
    path("visit/<int:visit_pk>/tour/", views.tour_book, name="tour_book"),
    path("tour/<int:pk>/cancel/", views.tour_cancel, name="tour_cancel"),
    path("visit/<int:visit_pk>/leader/", views.meeting_new, name="meeting_new"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/accept/", views.meeting_answer, {"answer": "accept"}, name="meeting_accept"),
    path("<int:pk>/decline/", views.meeting_answer, {"answer": "decline"}, name="meeting_decline"),
    path("<int:pk>/propose/", views.meeting_answer, {"answer": "propose"}, name="meeting_propose"),
    path("<int:pk>/take-proposal/", views.meeting_take_proposal, name="meeting_take_proposal"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("visit/<int:visit_pk>/gifts/", views.gift_issue, name="gift_issue"),
    path("gifts/<int:pk>/hand-over/", views.gift_hand_over, name="gift_hand_over"),
    path("gifts/<int:pk>/return/", views.gift_return, name="gift_return"),
    path("gifts/stock/", views.gift_stock, name="gift_stock"),
]
