from django.urls import path

from visitflow.spend import views

app_name = "spend"

urlpatterns = [
    path("", views.reports, name="reports"),
    path("report.xlsx", views.reports_export, name="reports_export"),
    path("visit/<int:pk>/", views.visit_spend, name="visit"),
    path("visit/<int:pk>/plan/<str:kind>/", views.line_plan, name="line_plan"),
    path("lines/<int:pk>/edit/", views.line_edit, name="line_edit"),
    path("lines/<int:pk>/void/", views.line_void, name="line_void"),
    path("lines/<int:pk>/resubmit/", views.line_resubmit, name="line_resubmit"),
    path("lines/<int:pk>/actual/", views.actual_record, name="actual_record"),
    path("lines/<int:pk>/<str:decision>/", views.line_decide, name="line_decide"),
    path("actuals/<int:pk>/void/", views.actual_void, name="actual_void"),
    path("actuals/<int:pk>/confirm/", views.actual_confirm, name="actual_confirm"),
    path("actuals/<int:pk>/receipt/", views.receipt_download, name="receipt"),
    path("approvals/", views.approvals, name="approvals"),
    path("standards/", views.standards, name="standards"),
    path("confirm/", views.confirm_list, name="confirm"),
    path("confirm/export/", views.confirm_export, name="confirm_export"),
]
