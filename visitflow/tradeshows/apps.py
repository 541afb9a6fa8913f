from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TradeshowsConfig(AppConfig):
    name = "visitflow.tradeshows"
    verbose_name = _("Trade shows")
