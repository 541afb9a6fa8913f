from django.contrib import admin
from django.urls import include, path

from visitflow.api.api import api

urlpatterns = [
    path("", include("visitflow.core.urls")),
    path("accounts/", include("visitflow.accounts.urls")),
    path("customers/", include("visitflow.customers.urls")),
    path("visits/", include("visitflow.visits.urls")),
    path("logistics/", include("visitflow.logistics.urls")),
    path("notifications/", include("visitflow.notifications.urls")),
    path("tradeshows/", include("visitflow.tradeshows.urls")),
    path("spend/", include("visitflow.spend.urls")),
    path("reports/", include("visitflow.reports.urls")),
    path("portal/", include("visitflow.portal.urls")),
    path("imports/", include("visitflow.imports.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler403 = "visitflow.core.views.error_403"
handler404 = "visitflow.core.views.error_404"
handler500 = "visitflow.core.views.error_500"
