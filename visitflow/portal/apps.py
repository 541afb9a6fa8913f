from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "visitflow.portal"
    verbose_name = _("Visitor self-service links")
