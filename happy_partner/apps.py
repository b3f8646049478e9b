from pathlib import Path

from django.apps import AppConfig
from django.conf import settings
from django.urls import register_converter

from happy_partner.converters import IdConverter


class HappyPartnerConfig(AppConfig):
    """The project package is an app too, so that its management commands and templates load."""

    name = "happy_partner"
    verbose_name = "Happy Partner"

    def ready(self) -> None:
        from django.contrib import admin
        from django.utils.translation import gettext_lazy as _

        # The staff console's name on every admin page (the parents' pages are the dashboard's).
        admin.site.site_header = _("Happy Partner · staff console")
        admin.site.site_title = _("Happy Partner staff")
        admin.site.index_title = _("Run the service")
        # The <id:...> path converter, registered before any URLconf that uses it is imported.
        register_converter(IdConverter, "id")
        # The embedded broker is a folder; make sure it exists before the first task is queued.
        options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            if key in options:
                Path(options[key]).mkdir(parents=True, exist_ok=True)
