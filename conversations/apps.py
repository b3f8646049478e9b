from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "conversations"

    def ready(self) -> None:
        # Connect the signal receivers: lexicon version bumps and consent-withdrawal effects.
        from conversations.services import consent_effects, lexicon  # noqa: F401
