from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_role_groups(sender: AppConfig, **kwargs: Any) -> None:
    from visitflow.accounts.services import role_groups_sync

    role_groups_sync()


class AccountsConfig(AppConfig):
    name = "visitflow.accounts"
    verbose_name = _("People and teams")

    def ready(self) -> None:
        # Permissions are made app by app after migrate; each round re-syncs the groups, so
        # the last one sees them all.
        post_migrate.connect(_sync_role_groups, dispatch_uid="role_groups_sync")
