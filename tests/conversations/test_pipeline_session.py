"""What a turn writes to its session, and how: one transaction and a fixed handful of statements
with the builtin provider; no transaction open while an LLM answers; counters, title, activity
time and story state saved by the one UPDATE at the end of the turn."""

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.principals import ChildPrincipal
from conversations.models import ChatSession, Message, UsageDay
from conversations.services import pipeline
from conversations.services.sessions import session_delete, session_end, session_rename
from conversations.services.usage import FIRST_MESSAGE_SECONDS
from happy_partner.errors import ApplicationError
from tests.factories import make_child, make_parent, pair_device

pytestmark = pytest.mark.django_db(transaction=True)  # the turn's own transactions, not a test wrapper
MORNING = datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")
# The session row lock with the gate's usage sums, the context's history, the child's message, the
# day's usage, the reply, the session's one UPDATE.
STATEMENTS_PER_TURN = 6


_GUARDIANS: dict[int, object] = {}  # child id → the parent who sends in parent mode (no query per turn)


@pytest.fixture
def child():
    with time_machine.travel(MORNING, tick=False):
        parent = make_parent("session.parent@example.com")
        child = make_child(parent, name="Tao", age=7)
    _GUARDIANS[child.pk] = parent
    return child


def _send(child, text, session_id=None, at=MORNING):
    with time_machine.travel(at, tick=False):
        return pipeline.message_send(actor=_GUARDIANS[child.pk], child_id=child.pk, text=text, session_id=session_id)


def test_a_builtin_turn_is_one_transaction_of_a_few_statements(child):
    first = _send(child, "你好呀")  # builds the lexicon and the session
    with CaptureQueriesContext(connection) as captured:
        _send(child, "3加5等于几？", first.session.pk, at=MORNING + timedelta(seconds=20))
    statements = [q["sql"] for q in captured.captured_queries]
    work = [s for s in statements if not s.upper().startswith(TRANSACTION_CONTROL)]
    assert not [s for s in statements if "SAVEPOINT" in s.upper()], statements
    assert sum(s.upper().startswith("COMMIT") for s in statements) <= 1, statements
    assert len(work) == STATEMENTS_PER_TURN, work
    assert sum(s.upper().startswith("UPDATE") and "chatsession" in s.lower() for s in work) == 1, work


def test_counters_title_activity_and_story_are_saved(child):
    first = _send(child, "给我讲一个关于小兔子的故事吧")
    session = ChatSession.objects.get(pk=first.session.pk)
    assert session.title == "给我讲一个关于小兔子的故事吧"
    assert session.message_count == 2
    assert session.active_seconds == FIRST_MESSAGE_SECONDS
    assert session.last_activity_at == MORNING
    assert session.story_state["story"]["step"] == 0

    later = MORNING + timedelta(seconds=40)
    _send(child, "继续", first.session.pk, at=later)
    session.refresh_from_db()
    assert session.message_count == 4 == Message.objects.filter(session=session).count()
    assert session.active_seconds == FIRST_MESSAGE_SECONDS + 40
    assert session.last_activity_at == later
    assert session.story_state["story"]["step"] == 1
    assert session.title == "给我讲一个关于小兔子的故事吧"  # the first message names the chat
    assert UsageDay.objects.get(child=child).seconds == FIRST_MESSAGE_SECONDS + 40


def test_no_transaction_is_open_while_the_llm_answers_and_its_tokens_are_recorded(
    child, fake_openai, settings, monkeypatch
):
    settings.LLM_PROVIDER = "openai"
    settings.LLM_BASE_URL = fake_openai.base_url
    fake_openai.set_mode("normal", text="我们一起来数一数吧。")
    seen: list[bool] = []
    real = pipeline.complete_with_fallback

    def spy(*args, **kwargs):
        seen.append(connection.in_atomic_block)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "complete_with_fallback", spy)
    result = _send(child, "3加5等于几？")  # the router is sure: one LLM call, for the reply
    assert seen == [False]
    assert result.reply.text == "我们一起来数一数吧。"
    stored = Message.objects.get(pk=result.reply.pk)
    assert (stored.provider, stored.prompt_tokens, stored.completion_tokens) == ("openai", 11, 7)  # the server's usage
    session = ChatSession.objects.get(pk=result.session.pk)
    assert session.message_count == 2 == Message.objects.filter(session=session).count()
    assert session.last_activity_at == MORNING


def test_the_turn_and_the_session_services_take_the_acting_principal(child, caplog):
    """A device acts for its own child only; the chat it starts records it; each change logs who acted."""
    with time_machine.travel(MORNING, tick=False):
        parent = _GUARDIANS[child.pk]
        other = make_child(parent, name="Other", age=9)
        device, _tokens = pair_device(parent, child)
        principal = ChildPrincipal(child=child, device=device)
        on_device = pipeline.message_send(actor=principal, child_id=child.pk, text="你好")
        with pytest.raises(ApplicationError) as refused:
            pipeline.message_send(actor=principal, child_id=other.pk, text="你好")
        parent_mode = pipeline.message_send(actor=parent, child_id=child.pk, text="你好")
    assert refused.value.code == "not_found"
    assert ChatSession.objects.get(pk=on_device.session.pk).device_id == device.pk
    assert ChatSession.objects.get(pk=parent_mode.session.pk).device_id is None
    assert not Message.objects.filter(child=other).exists()
    caplog.set_level(logging.INFO, logger="conversations.services.sessions")
    session_rename(actor=principal, session=on_device.session, title="恐龙")
    session_end(actor=parent, session=on_device.session)
    session_delete(actor=principal, session=on_device.session)
    logged = [r.getMessage() for r in caplog.records if r.name == "conversations.services.sessions"]
    assert f"session renamed session_id={on_device.session.pk} by device_id={device.pk}" in logged
    assert f"session ended session_id={on_device.session.pk} by user_id={parent.pk}" in logged
    assert f"session deleted session_id={on_device.session.pk} by device_id={device.pk}" in logged


def test_a_memory_consent_withdrawn_while_the_llm_answers_keeps_the_turn_from_remembering(
    fake_openai, settings, monkeypatch
):
    """With an LLM the reply is stored in a later transaction than the gate's: a withdrawal that
    committed in between (it deleted the memories) must not be followed by a new memory."""
    from accounts.models import ConsentRecord, ConsentScope
    from accounts.services.consent import consent_withdraw
    from accounts.services.controls import controls_update
    from conversations.models import MemoryFact

    with time_machine.travel(MORNING, tick=False):
        parent = make_parent("memory.race@example.com")
        kid = make_child(parent, name="Mia", age=8, scopes=[ConsentScope.CHAT, ConsentScope.MEMORY])
        controls_update(actor=parent, child=kid, data={"memory_enabled": True})
    _GUARDIANS[kid.pk] = parent
    settings.LLM_PROVIDER = "openai"
    settings.LLM_BASE_URL = fake_openai.base_url
    fake_openai.set_mode("normal", text="恐龙真酷！")
    real = pipeline.complete_with_fallback

    def withdraw_while_thinking(*args, **kwargs):
        consent = ConsentRecord.objects.get(child=kid, scope=ConsentScope.MEMORY, withdrawn_at=None)
        consent_withdraw(actor=parent, consent=consent)
        return real(*args, **kwargs)

    _send(kid, "我喜欢恐龙")  # remembered while the consent stands
    assert MemoryFact.objects.filter(child=kid).exists()
    monkeypatch.setattr(pipeline, "complete_with_fallback", withdraw_while_thinking)
    result = _send(kid, "我喜欢画画", at=MORNING + timedelta(seconds=20))
    assert result.reply.text == "恐龙真酷！"
    assert not MemoryFact.objects.filter(child=kid).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a second connection withdrawing meanwhile")
def test_a_withdrawal_in_progress_when_the_reply_is_stored_is_waited_for(fake_openai, settings, monkeypatch):
    """The withdrawal has deleted the memories but not committed yet when the turn stores its reply:
    the turn waits for it (the consent row is locked) and then sees the consent gone."""
    import threading

    from accounts.models import ConsentRecord, ConsentScope
    from accounts.services.consent import consent_withdraw
    from accounts.services.controls import controls_update
    from conversations.models import MemoryFact

    with time_machine.travel(MORNING, tick=False):
        parent = make_parent("memory.lock@example.com")
        kid = make_child(parent, name="Leo", age=8, scopes=[ConsentScope.CHAT, ConsentScope.MEMORY])
        controls_update(actor=parent, child=kid, data={"memory_enabled": True})
    _GUARDIANS[kid.pk] = parent
    settings.LLM_PROVIDER = "openai"
    settings.LLM_BASE_URL = fake_openai.base_url
    fake_openai.set_mode("normal", text="好呀！")
    consent = ConsentRecord.objects.get(child=kid, scope=ConsentScope.MEMORY, withdrawn_at=None)
    deleted, release, errors = threading.Event(), threading.Event(), []

    def guardian_withdraws() -> None:
        try:
            with transaction.atomic():
                consent_withdraw(actor=parent, consent=consent)
                deleted.set()
                release.wait(10)  # committed only after the turn has started storing its reply
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    withdrawer = threading.Thread(target=guardian_withdraws)
    real = pipeline.complete_with_fallback

    def while_thinking(*args, **kwargs):
        withdrawer.start()
        assert deleted.wait(10)
        threading.Timer(0.5, release.set).start()  # the turn reaches its last transaction first
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "complete_with_fallback", while_thinking)
    _send(kid, "我喜欢恐龙")
    withdrawer.join(10)
    assert errors == []
    assert ConsentRecord.objects.get(pk=consent.pk).withdrawn_at is not None
    assert not MemoryFact.objects.filter(child=kid).exists()
