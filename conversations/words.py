"""The words a parent reads for each code the pipeline records: the dashboard, its live alerts and the
alert e-mail say ``urgent`` and ``hurting themselves``, never ``critical`` and ``self_harm``. One
definition; a code without an entry is shown as it is (and the tests say which one is missing)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

SEVERITY: Mapping[str, Promise] = {
    "none": _("nothing worrying"),
    "low": _("minor"),
    "medium": _("worth a look"),
    "high": _("serious"),
    "critical": _("urgent"),
}

ACTION: Mapping[str, Promise] = {
    "allow": _("answered as usual"),
    "mask": _("answered, with personal details hidden"),
    "redirect": _("gently changed the subject"),
    "block": _("did not answer, and suggested asking a grown-up"),
    "escalate": _("comforted your child, gave help-line numbers and told you at once"),
}

CATEGORY: Mapping[str, Promise] = {
    "self_harm": _("thoughts of hurting themselves"),
    "violence": _("violence"),
    "sexual": _("sexual content"),
    "drugs": _("drugs, alcohol or tobacco"),
    "bullying": _("bullying or rude words"),
    "dangerous": _("dangerous activities"),
    "strangers": _("contact with strangers"),
    "scams": _("scams"),
    "personal_info": _("personal details"),
    "abuse": _("being hurt by someone"),
    "parent_blocked": _("words you blocked"),
    "emotional_distress": _("strong distress"),
}

EMOTION: Mapping[str, Promise] = {
    "happy": _("happy"),
    "sad": _("sad"),
    "angry": _("angry"),
    "scared": _("scared"),
    "surprised": _("surprised"),
    "disgusted": _("disgusted"),
    "anxious": _("worried"),
    "lonely": _("lonely"),
    "excited": _("excited"),
    "confused": _("confused"),
    "neutral": _("calm"),
}

SUBJECT: Mapping[str, Promise] = {
    "chinese": _("Chinese"),
    "math": _("maths"),
    "english": _("English"),
    "science": _("science"),
    "history": _("history"),
    "geography": _("geography"),
    "art": _("art"),
    "music": _("music"),
    "pe": _("PE"),
    "morality": _("morality and law"),
    "it": _("computing"),
    "general": _("general"),
}

AGENT: Mapping[str, Promise] = {
    "edu": _("teacher"),
    "emotion": _("comforter"),
    "story": _("storyteller"),
    "chat": _("chat"),
    "safety": _("safety"),
}


def word(mapping: Mapping[str, Promise], code: str) -> str:
    return str(mapping.get(code, code))


def words(mapping: Mapping[str, Promise], codes: Iterable[str]) -> str:
    """Several codes in plain words, joined for a sentence (with "、" in Chinese)."""
    separator = "、" if (get_language() or "").startswith("zh") else ", "
    return separator.join(word(mapping, code) for code in codes)


def vocabulary() -> dict[str, dict[str, str]]:
    """Every mapping in the current language, for the pages' scripts (live alerts)."""
    return {
        name: {code: str(text) for code, text in mapping.items()}
        for name, mapping in (("severity", SEVERITY), ("action", ACTION), ("category", CATEGORY))
    }
