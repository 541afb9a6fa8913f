from django.urls import path

from visitflow.portal import views, views_host

app_name = "portal"
urlpatterns = [
    # The party's link (no account).
    path("v/<str:token>/", views.portal_page, name="page"),
    path("v/<str:token>/journeys/", views.portal_leg, name="leg_add"),
    path("v/<str:token>/journeys/<int:index>/", views.portal_leg, name="leg_correct"),
    path("v/<str:token>/people/", views.portal_visitor, name="visitor_add"),
    path("v/<str:token>/people/<int:index>/", views.portal_visitor, name="visitor_correct"),
    path("v/<str:token>/visit.ics", views.portal_ics, name="ics"),
    # The host's side, from the visit page.
    path("visits/<int:pk>/link/", views_host.link_issue, name="link_issue"),
    path("visits/<int:pk>/link/revoke/", views_host.link_revoke, name="link_revoke"),
    path("changes/<int:pk>/confirm/", views_host.change_confirm, name="change_confirm"),
    path("changes/<int:pk>/decline/", views_host.change_reject, name="change_reject"),
]
