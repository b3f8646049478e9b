"""What a child's app may offer, and what each feature needs: the parent's switch in the controls
and, for some, an active consent. The one definition of that rule: the chat gate (which agents may
answer), the pipeline (long-term memory) and the child's own ``features`` (``GET me/``) all read it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from accounts.models import ConsentScope


class Feature(StrEnum):
    CHAT = "chat"
    EDUCATION = "education"
    EMOTION = "emotion"
    STORIES = "stories"
    VOICE = "voice"
    MEMORY = "memory"


@dataclass(frozen=True)
class Requirement:
    switch: str | None = None  # a ParentalControls field that must be on
    consent: str | None = None  # a ConsentScope that must be active
    active_child: bool = False  # the child must be switched on (ChildProfile.is_active)


FEATURES: dict[Feature, Requirement] = {
    Feature.CHAT: Requirement(consent=ConsentScope.CHAT, active_child=True),
    Feature.EDUCATION: Requirement(switch="education_enabled"),
    Feature.EMOTION: Requirement(switch="emotion_enabled", consent=ConsentScope.EMOTION_COMPANION),
    Feature.STORIES: Requirement(switch="stories_enabled"),
    Feature.VOICE: Requirement(switch="voice_enabled", consent=ConsentScope.VOICE),
    Feature.MEMORY: Requirement(switch="memory_enabled", consent=ConsentScope.MEMORY),
}


def feature_enabled(feature: Feature, *, controls: object, consents: Collection[str], child_active: bool) -> bool:
    """Whether ``feature`` is on for a child: ``controls`` is their ParentalControls (or the cached
    snapshot's view of them), ``consents`` the active consent scopes."""
    need = FEATURES[feature]
    return (
        (need.switch is None or bool(getattr(controls, need.switch)))
        and (need.consent is None or need.consent in consents)
        and (child_active or not need.active_child)
    )


def features_enabled(*, controls: object, consents: Collection[str], child_active: bool) -> dict[Feature, bool]:
    return {
        feature: feature_enabled(feature, controls=controls, consents=consents, child_active=child_active)
        for feature in Feature
    }
