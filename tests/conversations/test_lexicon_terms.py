"""Staff-managed lexicon terms take effect in every process after the staff member's commit.

Each process keeps a compiled lexicon and rebuilds it when the shared version number moves. If the
version moved inside the staff member's transaction, a process could rebuild from the old rows
under the new version and keep that lexicon until the next change: the bump comes after the commit.
"""

from __future__ import annotations

import threading

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection, transaction
from django.db.models.signals import post_save
from django.test import Client
from django.urls import reverse

from conversations.models import LexiconTerm
from conversations.services import lexicon as lexicon_service
from conversations.services.lexicon import current_lexicon, lexicon_term_save, lexicon_terms_delete
from tests.factories import Cast, build_cast

TERM = "zorblax"


def _knows(term: str) -> bool:
    return term in {entry.term for entry in current_lexicon().entries}


@pytest.fixture(autouse=True)
def _no_lexicon_built_yet(monkeypatch) -> None:
    """The compiled lexicon is process-wide; each test starts as a fresh process."""
    monkeypatch.setattr(lexicon_service, "_built", None)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a second connection reading meanwhile")
@pytest.mark.django_db(transaction=True)
def test_a_process_rebuilding_before_the_commit_does_not_keep_the_old_terms() -> None:
    cast = build_cast()
    assert not _knows(TERM)

    def another_process_rebuilds() -> None:
        lexicon_service._built = None  # as if this were a process that has not built yet
        try:
            current_lexicon()
        finally:
            connection.close()

    with transaction.atomic():
        lexicon_term_save(
            actor=cast.staff, term=LexiconTerm(term=TERM, category="scams", severity="medium", language="en")
        )
        rebuilder = threading.Thread(target=another_process_rebuilds)
        rebuilder.start()
        rebuilder.join(timeout=30)
        assert not _knows(TERM)  # built from the committed rows: the term is not there yet
    assert _knows(TERM)


@pytest.mark.django_db
def test_staff_adding_and_deleting_a_term_in_the_admin(cast: Cast, django_capture_on_commit_callbacks) -> None:
    client = Client()
    client.force_login(cast.staff)
    old = current_lexicon()

    def a_process_rebuilt_from_the_old_rows(**kwargs) -> None:
        lexicon_service._built = lexicon_service._Built(lexicon_service._version(), lexicon_service._now(), old)

    # The admin logs the addition after saving it, inside its transaction.
    post_save.connect(a_process_rebuilt_from_the_old_rows, sender=LogEntry, weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("admin:conversations_lexiconterm_add"),
                {"term": TERM, "category": "scams", "severity": "medium", "language": "en", "is_active": "on"},
            )
    finally:
        post_save.disconnect(a_process_rebuilt_from_the_old_rows, sender=LogEntry)
    assert response.status_code == 302, response.content
    term = LexiconTerm.objects.get(term=TERM)
    assert term.created_by == cast.staff
    assert _knows(TERM)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:conversations_lexiconterm_delete", args=[term.pk]), {"post": "yes"})
    assert response.status_code == 302, response.content
    assert not _knows(TERM)


@pytest.mark.django_db
def test_bulk_delete_takes_every_term_out(cast: Cast, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for term in ("zorblax", "quuxish"):
            lexicon_term_save(
                actor=cast.staff, term=LexiconTerm(term=term, category="scams", severity="low", language="en")
            )
    assert _knows("zorblax") and _knows("quuxish")
    with django_capture_on_commit_callbacks(execute=True):
        assert lexicon_terms_delete(actor=cast.staff, terms=LexiconTerm.objects.all()) == 2
    assert not _knows("zorblax") and not _knows("quuxish")


@pytest.mark.django_db
def test_a_change_whose_version_bumps_were_lost_reaches_every_process_within_the_bound(
    cast: Cast, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    """Redis blipped while staff saved a term: neither bump of the shared version happened, and when
    Redis is back the version is the old one. Another process still picks the term up, once its
    lexicon is older than MAX_AGE_SECONDS (it rebuilds whatever the version)."""
    now = [1000.0]
    monkeypatch.setattr(lexicon_service, "_now", lambda: now[0])
    assert not _knows(TERM)
    other_process = lexicon_service._built  # what a process that is not the writer keeps
    real_cache = lexicon_service.cache

    class Blip:
        def __getattr__(self, name: str):
            if name in ("add", "incr", "set"):
                raise ConnectionError("Redis is restarting")
            return getattr(real_cache, name)

    monkeypatch.setattr(lexicon_service, "cache", Blip())
    with django_capture_on_commit_callbacks(execute=True):
        lexicon_term_save(
            actor=cast.staff, term=LexiconTerm(term=TERM, category="scams", severity="medium", language="en")
        )
    monkeypatch.setattr(lexicon_service, "cache", real_cache)  # back, with its data: the old version
    lexicon_service._built = other_process
    now[0] += 60
    assert not _knows(TERM)  # within the bound the old lexicon may still serve
    now[0] += lexicon_service.MAX_AGE_SECONDS
    assert _knows(TERM)
