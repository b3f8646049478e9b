from django.apps import AppConfig


class HappyPartnerConfig(AppConfig):
    """The project package is an app too, so that its management commands and templates load."""

    name = "happy_partner"
    verbose_name = "Happy Partner"
