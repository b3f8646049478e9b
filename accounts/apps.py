from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and families")

    def ready(self) -> None:
        from accounts import snapshots  # noqa: F401  (connects the cache invalidation signals)
