"""A change to a child's rules applies to the very next message, even with a request in between.

The child snapshot is cached (accounts/snapshots.py). A request that reads while a parent's change
is written but not yet committed still sees the old rows and caches them; the writer must drop the
snapshot *after* its commit, or that request's copy serves the old rules for ten minutes.

Each writer below is run twice: against a real concurrent reader (a thread with its own database
connection, PostgreSQL only: SQLite locks the tables a writer holds), and on every backend with that
reader's effect reproduced in the writer's transaction (the old snapshot put back into the cache).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.test import Client
from django.urls import reverse

from accounts import snapshots
from accounts.models import ChildProfile, ConsentRecord, ConsentScope, GuardianRole, Guardianship
from accounts.services.children import child_delete, child_update
from accounts.services.consent import consent_grant, consent_withdraw
from accounts.services.controls import controls_update
from accounts.services.guardians import guardianship_remove, invitation_accept, invitation_create
from accounts.snapshots import ChildSnapshot, child_snapshot
from tests.factories import Cast, build_cast, make_parent

ON_POSTGRESQL = connection.vendor == "postgresql"


@dataclass(frozen=True)
class Change:
    """One writer: what it changes on child_a1 and what the snapshot shows before and after."""

    name: str
    write: Callable[[Cast], None]
    shows: Callable[[ChildSnapshot | None], Any]
    before: Any
    after: Any


def _withdraw_voice(cast: Cast) -> None:
    consent = ConsentRecord.objects.get(child=cast.child_a1, scope=ConsentScope.VOICE, withdrawn_at=None)
    consent_withdraw(actor=cast.parent_a, consent=consent)


def _add_grandma(cast: Cast) -> None:
    grandma = make_parent("grandma@example.com", display_name="Grandma")
    _invitation, token = invitation_create(actor=cast.parent_a, child=cast.child_a1, email=grandma.email)
    invitation_accept(actor=grandma, token=token)


def _remove_co_guardian(cast: Cast) -> None:
    row = Guardianship.objects.get(child=cast.child_a1, role=GuardianRole.CO_GUARDIAN)
    guardianship_remove(actor=cast.parent_a, guardianship=row)


CHANGES = [
    Change(
        "controls_update",
        lambda cast: controls_update(actor=cast.parent_a, child=cast.child_a1, data={"daily_minutes": 15}),
        lambda snapshot: snapshot.controls.daily_minutes,
        60,
        15,
    ),
    Change(
        "child_update",
        lambda cast: child_update(actor=cast.parent_a, child=cast.child_a1, data={"is_active": False}),
        lambda snapshot: snapshot.is_active,
        True,
        False,
    ),
    Change(
        "child_delete",
        lambda cast: child_delete(actor=cast.parent_a, child=cast.child_a1),
        lambda snapshot: snapshot is not None,
        True,
        False,
    ),
    Change(
        "consent_grant",
        lambda cast: consent_grant(actor=cast.parent_a, child=cast.child_a1, scope=ConsentScope.MEMORY),
        lambda snapshot: snapshot.has_consent(ConsentScope.MEMORY),
        False,
        True,
    ),
    Change("consent_withdraw", _withdraw_voice, lambda snapshot: snapshot.has_consent(ConsentScope.VOICE), True, False),
    Change("invitation_accept", _add_grandma, lambda snapshot: len(snapshot.guardian_ids), 2, 3),
    Change("guardianship_remove", _remove_co_guardian, lambda snapshot: len(snapshot.guardian_ids), 2, 1),
]


def _read(child_id: int) -> ChildSnapshot | None:
    try:
        return child_snapshot(child_id=child_id)
    except ChildProfile.DoesNotExist:
        return None


def _cache_as_a_concurrent_reader(child_id: int, old: ChildSnapshot | None) -> None:
    """What a request reading now caches: the committed (old) rows, under the generation it sees."""
    assert old is not None
    snapshots._store(child_id, snapshots._generation(child_id), old)


def _read_in_another_request(child_id: int) -> ChildSnapshot | None:
    """What a concurrent request reads: its own thread, its own database connection."""
    seen: list[ChildSnapshot | None] = []

    def run() -> None:
        try:
            seen.append(_read(child_id))
        finally:
            connection.close()

    reader = threading.Thread(target=run)
    reader.start()
    reader.join(timeout=30)
    assert seen, "the concurrent reader did not finish"
    return seen[0]


@pytest.mark.skipif(not ON_POSTGRESQL, reason="needs a second connection reading while the writer holds its rows")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("change", CHANGES, ids=[c.name for c in CHANGES])
def test_a_request_between_the_write_and_the_commit_cannot_keep_the_old_rules(change: Change) -> None:
    cast = build_cast()
    child_id = cast.child_a1.pk
    assert change.shows(_read(child_id)) == change.before
    with transaction.atomic():
        change.write(cast)
        # Not committed yet: the other request sees the old rows, and caches them.
        assert change.shows(_read_in_another_request(child_id)) == change.before
    assert change.shows(_read(child_id)) == change.after


@pytest.mark.django_db
@pytest.mark.parametrize("change", CHANGES, ids=[c.name for c in CHANGES])
def test_the_snapshot_is_dropped_after_the_commit(change: Change, django_capture_on_commit_callbacks) -> None:
    cast = build_cast()
    child_id = cast.child_a1.pk
    old = _read(child_id)
    assert change.shows(old) == change.before
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        change.write(cast)
        _cache_as_a_concurrent_reader(child_id, old)
    assert change.shows(_read(child_id)) == change.after


@pytest.mark.django_db
def test_a_request_that_read_the_old_rows_and_caches_them_after_the_commit_is_not_believed(
    cast: Cast, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    """The reader missed the cache and read the rows; the parent's change committed (and was
    invalidated) before the reader wrote its copy to the cache."""
    child_id = cast.child_a1.pk
    real_build = snapshots._build

    def build_while_the_parent_changes_the_rules(child_id: int) -> ChildSnapshot:
        old = real_build(child_id)
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            controls_update(actor=cast.parent_a, child=cast.child_a1, data={"daily_minutes": 15})
        return old

    monkeypatch.setattr(snapshots, "_build", build_while_the_parent_changes_the_rules)
    assert child_snapshot(child_id=child_id).controls.daily_minutes == 60  # what that request saw
    monkeypatch.setattr(snapshots, "_build", real_build)
    assert child_snapshot(child_id=child_id).controls.daily_minutes == 15


# --- the admin ---------------------------------------------------------------------------------------


@pytest.fixture
def staff_client(cast: Cast) -> Client:
    client = Client()
    client.force_login(cast.staff)
    return client


def _recache_old_snapshot_after(signal, sender, child_id: int):
    """Connect a receiver that puts the old snapshot back when ``sender`` is saved or deleted."""
    old = _read(child_id)

    def reader_caches_old_rows(**kwargs) -> None:
        _cache_as_a_concurrent_reader(child_id, old)

    signal.connect(reader_caches_old_rows, sender=sender, weak=False)
    return lambda: signal.disconnect(reader_caches_old_rows, sender=sender)


def test_staff_changing_controls_in_the_admin_applies_to_the_next_message(
    cast: Cast, staff_client: Client, django_capture_on_commit_callbacks
) -> None:
    child = cast.child_a1
    url = reverse("admin:accounts_parentalcontrols_change", args=[child.pk])
    form = {
        **{name: str(getattr(child.controls, name)) for name in ("daily_minutes", "weekly_minutes")},
        "session_minutes": "30",
        "weekday_start": "07:00",
        "weekday_end": "20:30",
        "weekend_start": "08:00",
        "weekend_end": "21:00",
        "time_zone": "Asia/Shanghai",
        "education_enabled": "on",
        "safety_sensitivity": "medium",
        "blocked_words": "[]",
        "alert_min_severity": "medium",
    }
    form["daily_minutes"] = "10"
    # The admin logs the change after saving, inside its transaction: the moment a concurrent reader
    # can still see only the old rows.
    disconnect = _recache_old_snapshot_after(post_save, LogEntry, child.pk)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = staff_client.post(url, form)
    finally:
        disconnect()
    assert response.status_code == 302, response.content
    snapshot = child_snapshot(child_id=child.pk)
    assert snapshot.controls.daily_minutes == 10
    assert not snapshot.controls.emotion_enabled  # unchecked box in the form: switched off


def test_staff_removing_a_co_guardian_in_the_admin_applies_to_the_next_message(
    cast: Cast, staff_client: Client, django_capture_on_commit_callbacks
) -> None:
    child = cast.child_a1
    row = Guardianship.objects.get(child=child, role=GuardianRole.CO_GUARDIAN)
    disconnect = _recache_old_snapshot_after(post_delete, Guardianship, child.pk)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = staff_client.post(reverse("admin:accounts_guardianship_delete", args=[row.pk]), {"post": "yes"})
    finally:
        disconnect()
    assert response.status_code == 302, response.content
    assert child_snapshot(child_id=child.pk).guardian_ids == (cast.parent_a.pk,)


@pytest.mark.django_db
def test_a_missed_invalidation_heals_within_the_snapshots_lifetime() -> None:
    """If the cache failed just as a change started a new generation and came back with its data,
    the old copy is believed only until it expires: the bound is CACHE_SECONDS (a minute)."""
    import time_machine
    from django.core.cache import cache

    cast = build_cast()
    child = cast.child_a1
    assert snapshots.CACHE_SECONDS <= 60
    if hasattr(cache, "ttl"):  # Redis expires keys on its own clock: read the lifetime it was given
        child_snapshot(child_id=child.pk)
        assert 0 < cache.ttl(snapshots._key(child.pk)) <= snapshots.CACHE_SECONDS
        return
    with time_machine.travel("2026-11-18 10:00:00+08:00", tick=False) as clock:
        assert child_snapshot(child_id=child.pk).controls.daily_minutes == child.controls.daily_minutes
        child.controls.__class__.objects.filter(child=child).update(daily_minutes=7)  # no invalidation
        assert child_snapshot(child_id=child.pk).controls.daily_minutes != 7  # the cached copy, as expected
        clock.shift(snapshots.CACHE_SECONDS + 1)
        assert child_snapshot(child_id=child.pk).controls.daily_minutes == 7
