"""The parents' pages, through Django's test client: who may open which page (a persona x page matrix
that fails when a page has no row), the sign-up / sign-in flow, what each page shows, the security
headers, and the queries the overview costs."""

from __future__ import annotations

import re
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from conversations.models import Message, SafetyEvent, UsageDay
from tests.factories import PASSWORD, bearer, make_child, make_parent, pair_device

pytestmark = pytest.mark.django_db

# (method, route name, url kwargs from the family) -> expected status per persona
ANON, PARENT, STRANGER = "anonymous", "parent", "other family's parent"
MATRIX = [
    ("GET", "home", {}, {ANON: 200, PARENT: 302, STRANGER: 302}),
    ("GET", "signin", {}, {ANON: 200, PARENT: 200, STRANGER: 200}),
    ("GET", "signup", {}, {ANON: 200, PARENT: 200, STRANGER: 200}),
    ("POST", "signout", {}, {ANON: 302, PARENT: 302, STRANGER: 302}),
    ("GET", "dashboard", {}, {ANON: 302, PARENT: 200, STRANGER: 200}),
    ("GET", "child", {"child_id": "child"}, {ANON: 302, PARENT: 200, STRANGER: 404}),
    ("GET", "child-insights", {"child_id": "child"}, {ANON: 302, PARENT: 200, STRANGER: 404}),
    ("GET", "child-memories", {"child_id": "child"}, {ANON: 302, PARENT: 200, STRANGER: 404}),
    ("POST", "child-memories", {"child_id": "child"}, {ANON: 302, PARENT: 404, STRANGER: 404}),  # no memory named
    ("GET", "alerts", {}, {ANON: 302, PARENT: 200, STRANGER: 200}),
    ("POST", "alert-seen", {"event_id": "event"}, {ANON: 302, PARENT: 302, STRANGER: 404}),
    ("GET", "controls", {"child_id": "child"}, {ANON: 302, PARENT: 200, STRANGER: 404}),
    ("POST", "controls", {"child_id": "child"}, {ANON: 302, PARENT: 400, STRANGER: 404}),  # an empty form
    ("GET", "invitation-accept", {}, {ANON: 302, PARENT: 200, STRANGER: 200}),
    ("POST", "invitation-accept", {}, {ANON: 302, PARENT: 400, STRANGER: 400}),  # no token
    ("GET", "password_reset", {}, {ANON: 200, PARENT: 200, STRANGER: 200}),
    ("POST", "password_reset", {}, {ANON: 200, PARENT: 200, STRANGER: 200}),  # no address: the form again
    ("GET", "password_reset_done", {}, {ANON: 200, PARENT: 200, STRANGER: 200}),
    ("GET", "password_reset_complete", {}, {ANON: 200, PARENT: 200, STRANGER: 200}),
    ("GET", "child-add", {}, {ANON: 302, PARENT: 200, STRANGER: 200}),
    ("POST", "child-add", {}, {ANON: 302, PARENT: 400, STRANGER: 400}),  # an empty form
    ("GET", "devices", {"child_id": "child"}, {ANON: 302, PARENT: 200, STRANGER: 404}),
    ("POST", "devices", {"child_id": "child"}, {ANON: 302, PARENT: 200, STRANGER: 404}),  # a new code
    ("GET", "consents", {"child_id": "child"}, {ANON: 302, PARENT: 200, STRANGER: 404}),
    ("POST", "consents", {"child_id": "child"}, {ANON: 302, PARENT: 302, STRANGER: 404}),  # no scope: refused
    ("GET", "child-voice", {"child_id": "child"}, {ANON: 302, PARENT: 200, STRANGER: 404}),
    ("POST", "child-voice", {"child_id": "child"}, {ANON: 302, PARENT: 400, STRANGER: 404}),  # no recordings
    ("GET", "child-data", {"child_id": "child"}, {ANON: 302, PARENT: 200, STRANGER: 404}),
    ("POST", "child-data", {"child_id": "child"}, {ANON: 302, PARENT: 400, STRANGER: 404}),  # no action
    ("GET", "child-archive", {"child_id": "child", "archive_id": "archive"}, {ANON: 302, PARENT: 404, STRANGER: 404}),
    ("GET", "account", {}, {ANON: 302, PARENT: 200, STRANGER: 200}),
    ("POST", "account", {}, {ANON: 302, PARENT: 400, STRANGER: 400}),  # no confirmation typed
]


@pytest.fixture
def family():
    parent = make_parent("pages.parent@example.com", display_name="Mum")
    child = make_child(parent, name="Lily", age=8)
    _device, tokens = pair_device(parent, child)
    device = bearer(APIClient(), tokens["access"])
    device.post("/api/v1/chat/", {"text": "我喜欢恐龙"}, format="json")
    device.post("/api/v1/chat/", {"text": "我不想活了"}, format="json")  # an escalation: an alert
    stranger = make_parent("pages.stranger@example.com")
    make_child(stranger, name="Other")
    return parent, child, stranger, device


def _client(persona: str, parent: User, stranger: User) -> Client:
    client = Client()
    if persona == PARENT:
        client.force_login(parent)
    elif persona == STRANGER:
        client.force_login(stranger)
    return client


def test_the_matrix_lists_every_page():
    from accounts.pages import urlpatterns as account_pages
    from archive.pages import urlpatterns as archive_pages
    from audio.pages import urlpatterns as audio_pages
    from conversations.pages import urlpatterns as conversation_pages

    named = {pattern.name for pattern in [*account_pages, *conversation_pages, *audio_pages, *archive_pages]}
    # The reset link's page takes a signed token: its own test below walks it.
    assert named == {name for _method, name, _kwargs, _expected in MATRIX} | {"password_reset_confirm"}


@pytest.mark.parametrize(("method", "name", "kwargs", "expected"), MATRIX, ids=[row[1] for row in MATRIX])
@pytest.mark.parametrize("persona", [ANON, PARENT, STRANGER])
def test_page_matrix(family, method, name, kwargs, expected, persona):
    parent, child, stranger, _device = family
    ids = {"child": child.pk, "event": SafetyEvent.objects.get(child=child).pk, "archive": 999_999}
    url = reverse(name, kwargs={key: ids[value] for key, value in kwargs.items()})
    client = _client(persona, parent, stranger)
    response = client.post(url) if method == "POST" else client.get(url)
    assert response.status_code == expected[persona], (method, url, persona)
    if response.status_code == 302 and persona == ANON and name not in ("signout",):
        assert response["Location"].startswith(reverse("signin"))


def test_sign_up_signs_in_and_a_bad_password_is_explained(client):
    weak = client.post(
        reverse("signup"),
        {"display_name": "Dad", "email": "new.dad@example.com", "password": "123", "agree": "on"},
    )
    assert weak.status_code == 400 and not User.objects.filter(email="new.dad@example.com").exists()
    assert "errorlist" in weak.content.decode()
    no_consent = client.post(
        reverse("signup"), {"display_name": "Dad", "email": "new.dad@example.com", "password": PASSWORD}
    )
    assert no_consent.status_code == 400
    done = client.post(
        reverse("signup"),
        {"display_name": "Dad", "email": "new.dad@example.com", "password": PASSWORD, "agree": "on"},
    )
    assert done.status_code == 302 and done["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


def test_sign_in_with_the_wrong_password_then_the_right_one(client, family):
    parent, *_rest = family
    wrong = client.post(reverse("signin"), {"email": parent.email, "password": "not-it-at-all"})
    assert wrong.status_code == 400 and "errorlist" in wrong.content.decode()
    right = client.post(reverse("signin") + "?next=/dashboard/alerts/", {"email": parent.email, "password": PASSWORD})
    assert right.status_code == 302 and right["Location"] == "/dashboard/alerts/"
    elsewhere = client.post(reverse("signin") + "?next=//evil.example/", {"email": parent.email, "password": PASSWORD})
    assert elsewhere["Location"] == reverse("dashboard")  # never another host


def test_the_overview_shows_each_child_with_minutes_mood_and_open_alerts(family):
    parent, child, _stranger, _device = family
    client = Client()
    client.force_login(parent)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Lily" in page and "Other" not in page
    assert reverse("child", kwargs={"child_id": child.pk}) in page
    assert re.search(r'id="alert-badge" data-count="1"', page)


def test_the_transcript_says_why_a_message_was_flagged_in_plain_words(family):
    parent, child, _stranger, _device = family
    client = Client()
    client.force_login(parent)
    page = client.get(reverse("child", kwargs={"child_id": child.pk}), {"flagged": "on"}).content.decode()
    assert "我不想活了" in page and "我喜欢恐龙" not in page
    assert "self_harm" not in page  # the code is never shown...
    assert "伤害自己" in page  # ...its words are (the default language, Chinese)


def test_alerts_are_listed_in_words_and_marked_seen_for_the_family(family):
    parent, child, _stranger, _device = family
    client = Client()
    client.force_login(parent)
    page = client.get(reverse("alerts")).content.decode()
    shown = re.sub(r'<script id="hp-vocabulary".*?</script>', "", page, flags=re.S)  # the live script's words
    event = SafetyEvent.objects.get(child=child)
    assert f'id="alert-{event.pk}"' in shown and "self_harm" not in shown and "伤害自己" in shown
    assert "the companion" not in shown and "伙伴的处理" in shown  # the whole sentence in Chinese
    assert client.post(reverse("alert-seen", kwargs={"event_id": event.pk})).status_code == 302
    event.refresh_from_db()
    assert event.acknowledged_at is not None and event.acknowledged_by == parent
    assert 'data-count="0"' in client.get(reverse("dashboard")).content.decode()


def test_insights_draw_charts_on_the_server(family):
    parent, child, _stranger, _device = family
    today = timezone.localtime(timezone.now(), ZoneInfo(child.controls.time_zone)).date()
    UsageDay.objects.update_or_create(child=child, day=today, defaults={"seconds": 75 * 60})  # over 60 min
    Message.objects.filter(child=child, role="child").update(emotion="sad", emotion_intensity=0.5)
    client = Client()
    client.force_login(parent)
    for days in ("7", "30"):
        page = client.get(reverse("child-insights", kwargs={"child_id": child.pk}), {"days": days}).content.decode()
        assert page.count('<svg class="chart"') >= 3  # minutes against the limit, sad moments, feelings
        assert 'class="limit"' in page and 'class="bar over"' in page  # today is over the daily limit


def test_pages_carry_a_strict_content_security_policy_and_no_inline_script(family):
    parent, child, *_rest = family
    client = Client()
    client.force_login(parent)
    for url in (
        reverse("home"),
        reverse("dashboard"),
        reverse("alerts"),
        reverse("child", kwargs={"child_id": child.pk}),
    ):
        response = client.get(url, follow=True)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
        scripts = re.findall(r"<script([^>]*)>", response.content.decode())
        assert all("src=" in attrs or 'type="application/json"' in attrs for attrs in scripts), scripts


def test_the_overview_costs_the_same_queries_for_one_child_or_five(family, django_assert_max_num_queries):
    parent, *_rest = family
    client = Client()
    client.force_login(parent)
    with django_assert_max_num_queries(14):
        client.get(reverse("dashboard"))
    for n in range(4):
        make_child(parent, name=f"Kid {n}")
    with django_assert_max_num_queries(14):
        client.get(reverse("dashboard"))


def test_the_alert_email_speaks_plain_words_and_links_to_the_alert_page(family):
    from django.core import mail

    from conversations.services.notifications import safety_alert_email_send

    parent, child, *_rest = family
    event = SafetyEvent.objects.get(child=child)
    assert safety_alert_email_send(event_id=event.pk) == 1
    body = mail.outbox[-1].body
    assert f"/dashboard/alerts/#alert-{event.pk}" in body and "/api/v1/" not in body
    assert "self_harm" not in body and "critical" not in body and "伤害自己" in body
    client = Client()
    client.force_login(parent)
    assert f'id="alert-{event.pk}"' in client.get(reverse("alerts")).content.decode()  # the link's target


def _controls_form(child) -> dict[str, str]:
    """The controls form as the page fills it in."""
    from accounts.pages import ControlsForm

    form = ControlsForm(instance=child.controls)
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value.strftime("%H:%M") if hasattr(value, "strftime") else str(value)
    return data


def test_a_rule_changed_on_the_page_applies_to_the_next_message(family):
    parent, child, _stranger, device = family
    client = Client()
    client.force_login(parent)
    url = reverse("controls", kwargs={"child_id": child.pk})
    bad = {**_controls_form(child), "daily_minutes": "500", "weekly_minutes": "100"}
    refused = client.post(url, bad)
    assert refused.status_code == 400 and "errorlist" in refused.content.decode()  # daily above weekly
    saved = client.post(url, {**_controls_form(child), "blocked_words_text": "恐龙\n 游戏 "})
    assert saved.status_code == 302
    child.controls.refresh_from_db()
    assert child.controls.blocked_words == ["恐龙", "游戏"] and child.controls.updated_by == parent
    answer = device.post("/api/v1/chat/", {"text": "我喜欢恐龙"}, format="json").json()
    assert answer["safety"]["action"] == "redirect" and "parent_blocked" in answer["safety"]["categories"]
    pin = client.post(url, {**_controls_form(child), "pin": "12345"})
    assert pin.status_code == 400  # six digits


def test_the_demo_family_opens_a_living_dashboard():
    from io import StringIO

    from django.core.management import call_command

    from accounts.services.demo import DEMO_EMAIL
    from conversations.services.demo import DAYS_EN, DAYS_ZH

    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # once: a second run adds nothing
    parent = User.objects.get(email=DEMO_EMAIL)
    children = list(parent.children.order_by("pk"))
    turns = sum(len(day) for day in DAYS_ZH + DAYS_EN) + 1  # and the one that raised the alert
    assert Message.objects.filter(child__in=children, role="child").count() == turns
    client = Client()
    client.force_login(parent)
    overview = client.get(reverse("dashboard")).content.decode()
    assert 'data-count="1"' in overview and "明明" in overview and "Lily" in overview
    insights = client.get(reverse("child-insights", kwargs={"child_id": children[0].pk})).content.decode()
    assert insights.count('<svg class="chart"') == 4  # minutes, hard moments, feelings, subjects: all with data
    assert "数学" in insights and ">math<" not in insights  # subjects in words too
    alerts = client.get(reverse("alerts")).content.decode()
    assert "伤害自己" in alerts


def test_a_device_is_paired_with_the_code_the_page_shows_and_removed_there(family):
    parent, child, _stranger, _device = family
    client = Client()
    client.force_login(parent)
    url = reverse("devices", kwargs={"child_id": child.pk})
    page = client.post(url, {"pair": "1"}).content.decode()
    code = re.search(r'id="pairing-code">(\d{6})<', page).group(1)
    paired = APIClient().post("/api/v1/devices/pair/", {"code": code, "device_name": "Kitchen tablet"}, format="json")
    assert paired.status_code == 201, paired.content
    listed = client.get(url).content.decode()
    device_id = re.search(r'<tr id="device-(\d+)">\s*<td>Kitchen tablet', listed).group(1)
    assert client.post(url, {"revoke": device_id}).status_code == 302
    gone = bearer(APIClient(), paired.json()["access"]).get("/api/v1/me/")
    assert gone.status_code == 401
    assert client.post(url, {"revoke": "not-a-device"}).status_code == 404


def test_consent_is_given_and_withdrawn_scope_by_scope(family):
    parent, child, _stranger, _device = family
    client = Client()
    client.force_login(parent)
    url = reverse("consents", kwargs={"child_id": child.pk})
    assert client.post(url, {"scope": "voice", "action": "grant"}).status_code == 302
    client.post(url, {"scope": "voice", "action": "grant"})  # a double click grants once
    record = child.consents.get(scope="voice", withdrawn_at__isnull=True)
    assert record.method == "dashboard" and record.guardian == parent
    client.post(url, {"scope": "voice", "action": "withdraw"})
    client.post(url, {"scope": "voice", "action": "withdraw"})  # ...and withdraws once, never re-grants
    record.refresh_from_db()
    assert record.withdrawn_at is not None and not child.consents.filter(scope="voice", withdrawn_at=None).exists()
    page = client.get(url).content.decode()
    assert "consent-voiceprint" in page and "长期记忆" in page
    assert page.count("<p>", page.index('id="consent-chat"')) >= 5  # each scope explains itself


def test_a_child_is_added_with_the_consents_ticked_and_chat_is_required(client):
    parent = make_parent("pages.new.child@example.com")
    client.force_login(parent)
    url = reverse("child-add")
    without_chat = client.post(
        url, {"display_name": "Tom", "age": "7", "language": "zh-hans", "consent_scopes": ["voice"]}
    )
    assert without_chat.status_code == 400 and not parent.children.exists()
    done = client.post(
        url, {"display_name": "Tom", "age": "7", "language": "zh-hans", "consent_scopes": ["chat", "voice"]}
    )
    child = parent.children.get()
    assert done.status_code == 302 and done["Location"] == reverse("devices", kwargs={"child_id": child.pk})
    assert sorted(child.consents.values_list("scope", flat=True)) == ["chat", "voice"]
    assert set(child.consents.values_list("method", flat=True)) == {"dashboard"}


def test_a_long_history_pages_back_without_gaps_or_repeats(family):
    parent, child, _stranger, device = family
    for n in range(60):  # 2 messages a turn: 124 in all with the family's
        device.post("/api/v1/chat/", {"text": f"第{n}个问题：1加{n}等于几？"}, format="json")
    client = Client()
    client.force_login(parent)
    url, seen, query = reverse("child", kwargs={"child_id": child.pk}), [], {}
    for _ in range(5):
        page = client.get(url, query).content.decode()
        ids = [int(i) for i in re.findall(r'<li class="[^"]*" id="m(\d+)">', page)]
        seen = ids + seen
        older = re.search(r'href="\?[^"]*before=(\d+)"', page)  # the "older" link
        if older is None:
            break
        query = {"before": older.group(1)}
    stored = list(Message.objects.filter(child=child).order_by("created_at", "id").values_list("pk", flat=True))
    assert seen == stored


def test_a_co_guardian_follows_the_invitation_link_signs_up_and_accepts(family):
    from django.core import mail

    from accounts.services.guardians import invitation_create
    from accounts.services.notifications import guardian_invitation_send

    parent, child, *_rest = family
    invitation, token = invitation_create(actor=parent, child=child, email="grandma@example.com")
    assert guardian_invitation_send(invitation_id=invitation.pk, token=token)
    link = re.search(r"http://\S+/invitations/accept/\?token=\S+", mail.outbox[-1].body).group(0)
    path = link.split("127.0.0.1:8000", 1)[1] if "127.0.0.1:8000" in link else link[link.index("/invitations") :]
    client = Client()
    to_signin = client.get(path)
    assert to_signin.status_code == 302 and to_signin["Location"].startswith(reverse("signin") + "?next=")
    next_path = path
    signup = client.post(
        reverse("signup") + "?" + urlencode({"next": next_path}),
        {"display_name": "Grandma", "email": "grandma@example.com", "password": PASSWORD, "agree": "on"},
    )
    assert signup.status_code == 302 and signup["Location"] == next_path
    accepted = client.post(reverse("invitation-accept"), {"token": token})
    assert accepted.status_code == 302 and accepted["Location"] == reverse("dashboard")
    assert "Lily" in client.get(reverse("dashboard")).content.decode()
    again = client.post(reverse("invitation-accept"), {"token": token})
    assert again.status_code == 400  # used: it works once


def test_a_forgotten_password_is_reset_through_the_emailed_link(family):
    from django.core import mail

    parent, *_rest = family
    client = Client()
    assert client.post(reverse("password_reset"), {"email": parent.email}).status_code == 302
    assert client.post(reverse("password_reset"), {"email": "nobody@example.com"}).status_code == 302  # says nothing
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [parent.email]
    link = re.search(r"http://127\.0\.0\.1:8000(/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200 and "new_password1" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-passphrase", "new_password2": "a-brand-new-passphrase"},
    )
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    signin = Client().post(reverse("signin"), {"email": parent.email, "password": "a-brand-new-passphrase"})
    assert signin.status_code == 302
    used = Client().get(link, follow=True)
    assert used.status_code == 200 and "new_password1" not in used.content.decode()  # the link worked once


def test_a_memory_is_shown_and_forgotten_for_good(family):
    from conversations.models import MemoryFact

    parent, child, *_rest = family
    memory = MemoryFact.objects.create(child=child, kind="preference", text="喜欢恐龙", importance=0.8)
    client = Client()
    client.force_login(parent)
    url = reverse("child-memories", kwargs={"child_id": child.pk})
    assert "喜欢恐龙" in client.get(url).content.decode()
    assert client.post(url, {"delete": memory.pk}).status_code == 302
    assert not MemoryFact.objects.filter(pk=memory.pk).exists()
    other = make_parent("pages.memory.other@example.com")
    theirs = MemoryFact.objects.create(child=make_child(other, name="X"), kind="fact", text="secret", importance=0.5)
    assert client.post(url, {"delete": theirs.pk}).status_code == 404  # another family's memory
    assert MemoryFact.objects.filter(pk=theirs.pk).exists()


def test_the_staff_console_is_branded_and_its_test_box_explains_a_verdict():
    staff = User.objects.create_superuser(email="ops@example.com", password=PASSWORD, display_name="Ops")
    client = Client()
    client.force_login(staff)
    index = client.get("/admin/").content.decode()
    assert "快乐伙伴" in index  # the console's own name, in the staff's language
    changelist = client.get(reverse("admin:conversations_lexiconterm_changelist")).content.decode()
    assert reverse("admin:conversations_lexiconterm_test") in changelist
    checked = client.post(
        reverse("admin:conversations_lexiconterm_test"), {"text": "我不想活了，我的电话是13812345678"}
    )
    page = checked.content.decode()
    assert checked.status_code == 200 and 'id="verdict"' in page
    verdict = page[page.index('id="verdict"') :]
    assert "escalate" in verdict and "self_harm" in verdict and "13812345678" not in verdict  # explained, masked
    parent = make_parent("not.staff@example.com")
    client.force_login(parent)
    assert client.get(reverse("admin:conversations_lexiconterm_test")).status_code == 302  # to the admin login


def test_the_moderation_queue_filters_by_category(family):
    parent, child, *_rest = family
    staff = User.objects.create_superuser(email="mod@example.com", password=PASSWORD, display_name="Mod")
    client = Client()
    client.force_login(staff)
    url = reverse("admin:conversations_safetyevent_changelist")
    event = SafetyEvent.objects.get(child=child)
    assert f"/{event.pk}/change/" in client.get(url, {"category": "self_harm"}).content.decode()
    assert f"/{event.pk}/change/" not in client.get(url, {"category": "scams"}).content.decode()


@pytest.mark.parametrize(
    "query", [{"until": "9999-12-31"}, {"before": "²"}, {"before": "-1"}, {"days": "abc"}, {"since": "x"}]
)
def test_odd_query_parameters_never_break_a_page(family, query):
    parent, child, *_rest = family
    client = Client()
    client.force_login(parent)
    for name in ("child", "child-insights"):
        assert client.get(reverse(name, kwargs={"child_id": child.pk}), query).status_code == 200


def test_times_are_shown_in_the_familys_time_zone(family):
    parent, child, *_rest = family
    message = Message.objects.filter(child=child).order_by("pk").first()
    client = Client()
    client.force_login(parent)
    page = client.get(reverse("child", kwargs={"child_id": child.pk})).content.decode()
    local = timezone.localtime(message.created_at, ZoneInfo(child.controls.time_zone)).strftime("%Y-%m-%d %H:%M")
    assert local in page


def test_a_password_reset_ends_the_parents_app_sessions_and_resets_are_counted(family):
    from django.core import mail

    parent, *_rest = family
    app = APIClient().post("/api/v1/auth/token/", {"email": parent.email, "password": PASSWORD}, format="json")
    refresh = app.json()["refresh"]
    client = Client()
    client.post(reverse("password_reset"), {"email": parent.email})
    link = re.search(r"http://127\.0\.0\.1:8000(/password/reset/\S+/)", mail.outbox[-1].body).group(1)
    form = client.get(link, follow=True)
    new = {"new_password1": "another-long-passphrase", "new_password2": "another-long-passphrase"}
    assert client.post(form.redirect_chain[-1][0], new).status_code == 302
    assert APIClient().post("/api/v1/auth/token/refresh/", {"refresh": refresh}, format="json").status_code == 401
    for _ in range(3):  # the reset_account budget: 3 an hour per address, then refused in words
        client.post(reverse("password_reset"), {"email": parent.email})
    refused = client.post(reverse("password_reset"), {"email": parent.email})
    assert refused.status_code == 200 and "errorlist" in refused.content.decode()
