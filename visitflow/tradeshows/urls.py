from django.urls import path

from visitflow.tradeshows import (
    views,
    views_booth,
    views_checklist,
    views_invitations,
    views_leads,
)

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
    path("<int:pk>/invitations/", views_invitations.invitation_list, name="invitation_list"),
    path("<int:pk>/invitations/add/", views_invitations.invitation_add, name="invitation_add"),
    path(
        "<int:pk>/invitations/letters.zip",
        views_invitations.invitation_letters_zip,
        name="invitation_letters_zip",
    ),
    path(
        "<int:pk>/invitations/email/",
        views_invitations.invitation_email_all,
        name="invitation_email_all",
    ),
    path("invitations/<int:pk>/", views_invitations.invitation_detail, name="invitation_detail"),
    path("invitations/<int:pk>/call/", views_invitations.invitation_call, name="invitation_call"),
    path(
        "invitations/<int:pk>/letter.pdf",
        views_invitations.invitation_letter,
        name="invitation_letter",
    ),
    path(
        "invitations/<int:pk>/email/", views_invitations.invitation_email, name="invitation_email"
    ),
    path(
        "invitations/<int:pk>/link/<str:action>/",
        views_invitations.invitation_link,
        name="invitation_link",
    ),
    path("r/<str:token>/", views_invitations.rsvp, name="rsvp"),
    path("<int:pk>/check-in/", views_booth.check_in, name="check_in"),
    path("<int:pk>/board/", views_booth.board, name="board"),
    path("<int:pk>/leads/new/", views_booth.lead_new, name="lead_new"),
    path("<int:pk>/booth/<int:visit_pk>/", views_booth.booth_visit, name="booth_visit"),
    path(
        "<int:pk>/booth/<int:visit_pk>/<str:action>/",
        views_booth.booth_visit_action,
        name="booth_visit_action",
    ),
    path("<int:pk>/leads/", views_leads.lead_list, name="lead_list"),
    path("<int:pk>/leads/assign/", views_leads.lead_auto_assign, name="lead_auto_assign"),
    path("<int:pk>/funnel/", views_leads.funnel, name="funnel"),
    path("leads/<int:pk>/", views_leads.lead_detail, name="lead_detail"),
    path("leads/<int:pk>/<str:action>/", views_leads.lead_action, name="lead_action"),
    path("<int:pk>/checklist/", views_checklist.checklist, name="checklist"),
    path(
        "<int:pk>/checklist/from-standard/",
        views_checklist.checklist_from_template,
        name="checklist_from_template",
    ),
    path("<int:pk>/checklist/add/", views_checklist.checklist_add, name="checklist_add"),
    path(
        "<int:pk>/checklist/<int:item_pk>/edit/",
        views_checklist.checklist_edit,
        name="checklist_edit",
    ),
    path(
        "<int:pk>/checklist/<int:item_pk>/next/",
        views_checklist.checklist_advance,
        name="checklist_advance",
    ),
    path(
        "<int:pk>/checklist/<int:item_pk>/delete/",
        views_checklist.checklist_delete,
        name="checklist_delete",
    ),
]
