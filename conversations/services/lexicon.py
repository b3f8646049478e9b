"""The compiled safety lexicon: bundled terms plus staff-managed ones, built once per process.

Building the automaton costs milliseconds (~40 ms); checking a message costs microseconds. A
version number in the shared cache says when staff changed the terms, so every process rebuilds
once, never per message. If the cache is down the last built lexicon keeps serving.

A bump can be lost: Redis unreachable when staff save (the writer's own process rebuilds, no
other does), then back with its data and the old version. So a process also rebuilds a lexicon
older than MAX_AGE_SECONDS whatever the version: a change reaches every process within that bound.

Staff change terms only through ``lexicon_term_save`` / ``lexicon_terms_delete`` (the admin calls
them). They bump the version after the commit: a bump inside the transaction would let another
process rebuild from the old rows under the new version and keep that lexicon until the next change.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from typing import NamedTuple

from django.core.cache import cache
from django.db import transaction

from accounts.models import User
from conversations.models import LexiconTerm
from conversations.safety import Lexicon, bundled_entries
from conversations.safety.lexicon import LexiconEntry
from conversations.safety.types import Category, Severity

logger = logging.getLogger(__name__)
VERSION_KEY = "safety-lexicon-version"
# A process rebuilds a lexicon this old whatever the version says (one ~40 ms build per 5 minutes).
MAX_AGE_SECONDS = 300.0
_now = time.monotonic


class _Built(NamedTuple):
    version: object
    built_at: float  # _now() when it was built
    lexicon: Lexicon


_lock = threading.Lock()
_built: _Built | None = None


def _version() -> object:
    try:
        version = cache.get(VERSION_KEY)
    except Exception:
        logger.warning("cache unavailable reading lexicon version", exc_info=True)
        return None if _built is None else _built.version
    return version if version is not None else 0


def _staff_entries() -> list[LexiconEntry]:
    return [
        LexiconEntry(
            term=t.term, category=Category(t.category), severity=Severity.from_label(t.severity), language=t.language
        )
        for t in LexiconTerm.objects.filter(is_active=True).only("term", "category", "severity", "language")
    ]


def _usable(built: _Built | None, version: object) -> bool:
    return built is not None and built.version == version and _now() - built.built_at < MAX_AGE_SECONDS


def current_lexicon() -> Lexicon:
    global _built
    version = _version()
    built = _built
    if built is not None and _usable(built, version):
        return built.lexicon
    with _lock:
        if _built is None or not _usable(_built, version):
            _built = _Built(version, _now(), Lexicon.build([*bundled_entries(), *_staff_entries()]))
            logger.info("safety lexicon built version=%s", version)
        return _built.lexicon


def lexicon_changed() -> None:
    """Tell every process to rebuild on its next message."""
    try:
        cache.add(VERSION_KEY, 0, timeout=None)
        cache.incr(VERSION_KEY)
    except Exception:
        logger.warning("cache unavailable bumping lexicon version", exc_info=True)
        global _built
        _built = None  # at least this process rebuilds


def _lexicon_changed_on_commit() -> None:
    """Bump now (this transaction's own later reads) and again after the commit (everyone's)."""
    lexicon_changed()
    transaction.on_commit(lexicon_changed)


@transaction.atomic
def lexicon_term_save(*, actor: User, term: LexiconTerm) -> LexiconTerm:
    """Add or change a staff term (already validated by its form); every process rebuilds after the commit."""
    if term.created_by_id is None:
        term.created_by = actor
    term.save()
    _lexicon_changed_on_commit()
    logger.info("lexicon term saved term_id=%s by user_id=%s", term.pk, actor.pk)
    return term


@transaction.atomic
def lexicon_terms_delete(*, actor: User, terms: Iterable[LexiconTerm]) -> int:
    """Delete staff terms; every process rebuilds after the commit."""
    ids = [term.pk for term in terms]
    deleted, _detail = LexiconTerm.objects.filter(pk__in=ids).delete()
    _lexicon_changed_on_commit()
    logger.info("lexicon terms deleted count=%s by user_id=%s", deleted, actor.pk)
    return deleted
