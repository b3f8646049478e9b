"""The hand-written statements of the chat path (happy_partner/sql.py), on whichever database runs."""

from datetime import UTC, datetime

import pytest
from django.db import connection

from conversations.models import ChatSession
from happy_partner import sql
from tests.factories import make_child, make_parent

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    child = make_child(make_parent("sql.parent@example.com"))
    return ChatSession.objects.create(child=child, title="old", message_count=3)


def test_update_converts_values_like_the_orm_and_adds_increments(session):
    moment = datetime(2026, 11, 18, 2, 0, tzinfo=UTC)
    title = "Robert'); DROP TABLE conversations_chatsession;--"
    touched = sql.update(
        ChatSession,
        session.pk,
        increments={"message_count": 2, "active_seconds": 30},
        title=title,
        last_activity_at=moment,
        story_state={"story": {"world": "forest", "step": 1}},
    )
    assert touched == 1
    session.refresh_from_db()
    assert (session.title, session.message_count, session.active_seconds) == (title, 5, 30)
    assert session.last_activity_at == moment
    assert session.story_state == {"story": {"world": "forest", "step": 1}}


def test_update_of_a_missing_row_touches_nothing(session):
    assert sql.update(ChatSession, session.pk + 1000, increments={"message_count": 1}) == 0


def test_statement_names_tables_and_locks_only_where_the_database_can(session):
    text = sql.statement("SELECT id FROM {session} WHERE id = %s{for_update}", session=ChatSession)
    quoted = connection.ops.quote_name(ChatSession._meta.db_table)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    assert text == f"SELECT id FROM {quoted} WHERE id = %s{lock}"  # noqa: S608 - the expected text
    assert sql.fetch_all("SELECT id, title FROM {session} WHERE id = %s", [session.pk], session=ChatSession) == [
        (session.pk, "old")
    ]
