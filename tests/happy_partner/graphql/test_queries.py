"""The GraphQL API as a parent's app and a child's device use it: the same answers as REST, through
the same selectors and services (tests/chat_world.py's family)."""

# GraphQL documents are written on one line each, as an app sends them.
# ruff: noqa: E501

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import ConsentScope, ParentalControls
from accounts.principals import ChildPrincipal
from accounts.services.consent import consent_grant
from conversations.models import SafetyEvent, TranscriptAccess
from conversations.services.pipeline import message_send
from tests.chat_world import chat_world
from tests.happy_partner.graphql.conftest import URL, error_codes, graphql

MORNING = datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

OVERVIEW = """
query Overview {
  me { ... on ParentMe { user { displayName } } }
  children {
    id displayName ageBand consentScopes
    controls { dailyMinutes weekdayStart weekdayEnd }
    today { minutes dailyMinutes mood openAlerts lastActivity }
    recentSessions(first: 3) { id title messageCount }
    devices { name isActive }
  }
  alerts(open: true, first: 10) { nodes { id child severity severityText categoriesText actionText } }
}
"""


@pytest.fixture(autouse=True)
def _daytime():
    with time_machine.travel(MORNING, tick=False):
        yield


@pytest.fixture
def world(cast):
    return chat_world(cast)


@pytest.mark.django_db
def test_the_family_overview_in_one_round_trip(cast, world):
    status, body = graphql(cast.client_for("parent_a"), OVERVIEW)
    assert status == 200 and "errors" not in body, body
    data = body["data"]
    assert data["me"]["user"]["displayName"] == "Parent A"
    alice, aaron = data["children"]
    assert (alice["displayName"], aaron["displayName"]) == ("Alice", "Aaron")
    assert alice["controls"] == {"dailyMinutes": 60, "weekdayStart": "07:00", "weekdayEnd": "20:30"}
    assert alice["today"]["openAlerts"] == 1 and aaron["today"]["openAlerts"] == 0
    assert alice["today"]["lastActivity"] is not None
    # Parents see the chat Alice tidied away too, newest first (REST's chat list order).
    assert [s["id"] for s in alice["recentSessions"]] == [str(world["s_gone"]), str(world["s_a1"])]
    assert [s["id"] for s in aaron["recentSessions"]] == [str(world["s_a2"])]
    assert alice["devices"] == [{"name": "Alice's tablet", "isActive": True}]
    (alert,) = data["alerts"]["nodes"]
    assert alert["id"] == str(world["ev_a1"]) and alert["child"] == str(cast.child_a1.pk)
    assert alert["severity"] == "critical" and alert["severityText"] == "紧急"
    assert "伤害自己" in alert["categoriesText"]


@pytest.mark.django_db
def test_a_co_guardian_sees_only_the_child_they_guard(cast, world):
    status, body = graphql(cast.client_for("co_guardian"), OVERVIEW)
    assert status == 200, body
    assert [child["displayName"] for child in body["data"]["children"]] == ["Alice"]
    assert [a["child"] for a in body["data"]["alerts"]["nodes"]] == [str(cast.child_a1.pk)]


@pytest.mark.django_db
def test_messages_are_rest_s_pages_with_its_filters(cast, world):
    client = cast.client_for("parent_a")
    rest = client.get(f"/api/v1/children/{cast.child_a1.pk}/messages/?page_size=3").json()
    query = "query($c: ID!, $after: String) { messages(child: $c, first: 3, after: $after) { nodes { id text role safety { action categories } } pageInfo { hasNextPage endCursor } } }"
    status, body = graphql(client, query, {"c": cast.child_a1.pk})
    page = body["data"]["messages"]
    assert [int(m["id"]) for m in page["nodes"]] == [m["id"] for m in rest["results"]]
    assert page["pageInfo"]["hasNextPage"] is True
    status, body = graphql(client, query, {"c": cast.child_a1.pk, "after": page["pageInfo"]["endCursor"]})
    rest_next = client.get(rest["next"]).json()
    assert [int(m["id"]) for m in body["data"]["messages"]["nodes"]] == [m["id"] for m in rest_next["results"]]

    flagged = "query($c: ID!) { messages(child: $c, flagged: true) { nodes { text safety { action categories } } } }"
    nodes = graphql(client, flagged, {"c": cast.child_a1.pk})[1]["data"]["messages"]["nodes"]
    assert [(n["text"], n["safety"]["action"]) for n in nodes] == [("我不想活了", "escalate")]
    search = "query($c: ID!, $q: String) { messages(child: $c, q: $q) { nodes { text } } }"
    nodes = graphql(client, search, {"c": cast.child_a1.pk, "q": "恐龙"})[1]["data"]["messages"]["nodes"]
    assert nodes and all("恐龙" in n["text"] for n in nodes)
    since = "query($c: ID!, $s: DateTime) { messages(child: $c, since: $s) { nodes { id } } }"
    later = graphql(client, since, {"c": cast.child_a1.pk, "s": "2026-11-18T03:00:00+00:00"})[1]
    assert later["data"]["messages"]["nodes"] == []


@pytest.mark.django_db
def test_bad_filters_and_cursors_are_refused_with_the_field_named(cast, world):
    client = cast.client_for("parent_a")
    status, body = graphql(client, f'{{ messages(child: "{cast.child_a1.pk}", agent: "pirate") {{ nodes {{ id }} }} }}')
    assert status == 200 and error_codes(body) == ["invalid"] and "agent" in body["errors"][0]["extensions"]["fields"]
    status, body = graphql(
        client, f'{{ messages(child: "{cast.child_a1.pk}", after: "bm90LWEtY3Vyc29y") {{ nodes {{ id }} }} }}'
    )
    assert error_codes(body) == ["invalid_cursor"]
    status, body = graphql(
        client, f'{{ messages(child: "{cast.child_a1.pk}", session: "{world["s_a1"]}") {{ nodes {{ id }} }} }}'
    )
    assert error_codes(body) == ["invalid"] and "session" in body["errors"][0]["extensions"]["fields"]
    status, body = graphql(client, f'{{ insights(child: "{cast.child_a1.pk}", days: 365) {{ days }} }}')
    assert error_codes(body) == ["invalid"] and "days" in body["errors"][0]["extensions"]["fields"]
    status, body = graphql(client, '{ session(id: "not-a-number") { id } }')
    assert error_codes(body) == ["not_found"]


@pytest.mark.django_db
def test_a_device_reads_only_its_child_and_not_what_the_child_tidied_away(cast, world):
    client = cast.client_for("device_a1")
    query = "{ me { ... on DeviceMe { child { displayName } device { name } features { chat voice memory } } } sessions { nodes { id } } messages(first: 100) { nodes { session } } }"
    status, body = graphql(client, query)
    assert status == 200 and "errors" not in body, body
    data = body["data"]
    assert data["me"] == {
        "child": {"displayName": "Alice"},
        "device": {"name": "Alice's tablet"},
        "features": {"chat": True, "voice": True, "memory": True},
    }
    assert [s["id"] for s in data["sessions"]["nodes"]] == [str(world["s_a1"])]
    assert {m["session"] for m in data["messages"]["nodes"]} == {str(world["s_a1"])}


@pytest.mark.django_db
def test_a_parent_s_transcript_read_is_recorded_a_device_s_is_not(cast, world):
    query = "query($c: ID!) { messages(child: $c) { nodes { id } } }"
    graphql(cast.client_for("parent_a"), query, {"c": cast.child_a1.pk})
    graphql(cast.client_for("device_a1"), query, {"c": cast.child_a1.pk})
    graphql(
        cast.client_for("parent_a"), "query($s: ID!) { messages(session: $s) { nodes { id } } }", {"s": world["s_a1"]}
    )
    reads = list(TranscriptAccess.objects.values_list("reader__email", "child_id", "session_id", "via"))
    assert reads == [
        ("parent.a@example.com", cast.child_a1.pk, None, "api"),
        ("parent.a@example.com", cast.child_a1.pk, world["s_a1"], "api"),
    ]


@pytest.mark.django_db
def test_insights_are_rest_s_reports(cast, world):
    client = cast.client_for("parent_a")
    query = "query($c: ID!) { insights(child: $c, days: 7) { days activity { days { date messages minutes flagged } agents { name count } totals { messages minutes flagged } } emotions { days { date emotions { emotion count intensity } } } learning { subjects { name count } } } }"
    data = graphql(client, query, {"c": cast.child_a1.pk})[1]["data"]["insights"]
    rest = client.get(f"/api/v1/children/{cast.child_a1.pk}/insights/activity/?days=7").json()["report"]
    assert data["activity"]["totals"] == rest["totals"]
    assert [d["messages"] for d in data["activity"]["days"]] == [d["messages"] for d in rest["days"]]
    assert {a["name"]: a["count"] for a in data["activity"]["agents"]} == rest["agents"]
    emotions = client.get(f"/api/v1/children/{cast.child_a1.pk}/insights/emotions/?days=7").json()["report"]
    assert [{e["emotion"]: e["count"] for e in d["emotions"]} for d in data["emotions"]["days"]] == [
        {e: seen["count"] for e, seen in d["emotions"].items()} for d in emotions["days"]
    ]


@pytest.mark.django_db
def test_a_controls_change_applies_to_the_very_next_message(cast, world):
    client = cast.client_for("parent_a")
    mutation = 'mutation($c: ID!) { controlsUpdate(child: $c, input: {blockedWords: ["火车"], dailyMinutes: 45}) { blockedWords dailyMinutes } }'
    status, body = graphql(client, mutation, {"c": cast.child_a1.pk})
    assert body["data"]["controlsUpdate"] == {"blockedWords": ["火车"], "dailyMinutes": 45}, body
    result = message_send(
        actor=ChildPrincipal(child=cast.child_a1, device=cast.device_a1), child_id=cast.child_a1.pk, text="我喜欢火车"
    )
    assert "parent_blocked" in result.message.safety_categories


@pytest.mark.django_db
def test_invalid_controls_name_the_fields_as_written_and_change_nothing(cast, world):
    client = cast.client_for("parent_a")
    mutation = 'mutation($c: ID!) { controlsUpdate(child: $c, input: {dailyMinutes: -5, weekdayStart: "25:00", pin: "12"}) { dailyMinutes } }'
    status, body = graphql(client, mutation, {"c": cast.child_a1.pk})
    assert status == 200 and body["data"] == {"controlsUpdate": None}
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "invalid" and error["path"] == ["controlsUpdate"]
    assert set(error["extensions"]["fields"]) == {"dailyMinutes", "weekdayStart", "pin"}
    assert ParentalControls.objects.get(child=cast.child_a1).daily_minutes == 60


@pytest.mark.django_db
def test_a_revoked_device_is_out_at_once(cast, world):
    parent = cast.client_for("parent_a")
    device = cast.client_for("device_a1")
    mutation = "mutation($c: ID!, $d: ID!) { deviceRevoke(child: $c, device: $d) { isActive revokedAt } }"
    variables = {"c": cast.child_a1.pk, "d": cast.device_a1.pk}
    status, body = graphql(parent, mutation, variables)
    assert body["data"]["deviceRevoke"]["isActive"] is False, body
    status, body = graphql(device, "{ sessions { nodes { id } } }")
    assert status == 401 and error_codes(body) == ["device_revoked"]
    status, body = graphql(parent, mutation, variables)
    assert error_codes(body) == ["already_revoked"]


@pytest.mark.django_db
def test_alerts_marked_seen_are_seen_by_the_whole_family(cast, world):
    mutation = "mutation($ids: [ID!]!) { alertsMarkSeen(ids: $ids) { id acknowledgedAt } }"
    status, body = graphql(cast.client_for("co_guardian"), mutation, {"ids": [world["ev_a1"]]})
    assert body["data"]["alertsMarkSeen"][0]["acknowledgedAt"] is not None, body
    status, body = graphql(cast.client_for("parent_a"), "{ alerts(open: true) { nodes { id } } }")
    assert body["data"]["alerts"]["nodes"] == []
    status, body = graphql(cast.client_for("parent_a"), "{ alerts { nodes { id acknowledgedAt } } }")
    assert [n["id"] for n in body["data"]["alerts"]["nodes"]] == [str(world["ev_a1"])]
    assert SafetyEvent.objects.get(pk=world["ev_a1"]).acknowledged_by == cast.co_guardian
    status, body = graphql(cast.client_for("parent_a"), mutation, {"ids": []})
    assert error_codes(body) == ["invalid"] and "ids" in body["errors"][0]["extensions"]["fields"]


@pytest.mark.django_db
def test_errors_speak_the_request_s_language(cast, world):
    client = cast.client_for("parent_a")
    query = '{ child(id: "999999") { id } }'
    zh = graphql(client, query)[1]["errors"][0]["message"]
    en = graphql(client, query, HTTP_ACCEPT_LANGUAGE="en")[1]["errors"][0]["message"]
    assert zh == "找不到这个孩子。" and en == "No such child."
    anonymous = graphql(cast.client_for("anonymous"), "{ me { __typename } }", HTTP_ACCEPT_LANGUAGE="en")[1]
    assert anonymous["errors"][0]["message"] == "Authentication credentials were not provided."


@pytest.mark.django_db
def test_transport_refusals_are_in_graphql_s_shape(cast, world):
    client = cast.client_for("parent_a")
    response = client.get(URL)
    assert response.status_code == 405 and response.json()["errors"][0]["extensions"]["code"] == "method_not_allowed"
    response = client.post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["errors"][0]["extensions"]["code"] == "malformed_request"
    response = client.post(URL, [{"query": "{ me { __typename } }"}], format="json")  # batching is off
    assert response.status_code == 400 and response.json()["errors"][0]["extensions"]["code"] == "invalid"
    for body, field in (
        ({"query": "{ me { __typename } }", "extra": 1}, "extra"),
        ({"query": 5}, "query"),
        ({"query": "{ me { __typename } }", "variables": []}, "variables"),
    ):
        response = client.post(URL, body, format="json")
        assert response.status_code == 400, body
        assert field in response.json()["errors"][0]["extensions"]["fields"], response.json()


@pytest.mark.django_db
def test_the_named_operation_runs(cast, world):
    document = "query A { me { __typename } } query B { children { id } }"
    response = cast.client_for("parent_a").post(URL, {"query": document, "operationName": "B"}, format="json")
    assert response.status_code == 200 and set(response.json()["data"]) == {"children"}
    response = cast.client_for("parent_a").post(URL, {"query": document}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["extensions"]["code"] == "invalid_query"


@pytest.mark.django_db
def test_today_s_mood_counts_only_today_in_the_family_s_time_zone(cast):
    consent_grant(actor=cast.parent_a, child=cast.child_a1, scope=ConsentScope.EMOTION_COMPANION)  # feelings noticed
    device = ChildPrincipal(child=cast.child_a1, device=cast.device_a1)
    evening_before = datetime(2026, 11, 17, 20, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # 14 hours earlier
    with time_machine.travel(evening_before, tick=False):
        for _ in range(3):
            message_send(actor=device, child_id=cast.child_a1.pk, text="我今天好开心呀")
    message_send(actor=device, child_id=cast.child_a1.pk, text="我今天有点难过")
    status, body = graphql(cast.client_for("parent_a"), f'{{ child(id: "{cast.child_a1.pk}") {{ today {{ mood }} }} }}')
    assert body["data"]["child"]["today"]["mood"] == "sad", body


@pytest.mark.django_db
def test_graphql_shares_the_parent_s_request_budget_with_rest(cast, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, "parent": "3/min"})
    client = cast.client_for("parent_a")  # signing in is not counted against the parent's budget
    assert client.get("/api/v1/me/").status_code == 200
    assert graphql(client, "{ me { __typename } }")[0] == 200
    assert graphql(client, "{ me { __typename } }")[0] == 200
    status, body = graphql(client, "{ me { __typename } }")
    assert status == 429 and error_codes(body) == ["throttled"], body


@pytest.mark.django_db
def test_ids_that_name_no_row_are_not_found_never_a_server_error(cast, world):
    client = cast.client_for("parent_a")
    for bad in (" 1", "١", "", "-1", "1.5", "99999999999999999999"):
        for query in (
            f'{{ child(id: "{bad}") {{ id }} }}',
            f'{{ sessions(child: "{bad}") {{ nodes {{ id }} }} }}',
            f'{{ session(id: "{bad}") {{ id }} }}',
            f'mutation {{ alertsMarkSeen(ids: ["{bad}"]) {{ id }} }}',
            f'mutation {{ deviceRevoke(child: "{cast.child_a1.pk}", device: "{bad}") {{ id }} }}',
        ):
            status, body = graphql(client, query)
            assert status == 200 and error_codes(body) == ["not_found"], (query, body)


@pytest.mark.django_db
def test_a_cursor_naming_an_impossible_date_is_invalid_over_graphql_and_rest(cast, world):
    import base64

    client = cast.client_for("parent_a")
    forged = base64.urlsafe_b64encode(b"2026-13-01T00:00:00+00:00|1").decode().rstrip("=")
    status, body = graphql(client, f'{{ sessions(after: "{forged}") {{ nodes {{ id }} }} }}')
    assert error_codes(body) == ["invalid_cursor"], body
    rest_cursor = base64.b64encode(b"p=2026-13-01T00%3A00%3A00%2B00%3A00").decode()
    response = client.get(f"/api/v1/sessions/?cursor={rest_cursor}")
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_cursor"


@pytest.mark.django_db
def test_a_method_a_route_does_not_have_is_405_even_with_a_body(cast, world):
    client = cast.client_for("parent_a")
    for method in ("put", "patch"):
        response = getattr(client, method)(URL, {"query": "{ me { __typename } }"}, format="json")
        assert (
            response.status_code == 405 and response.json()["errors"][0]["extensions"]["code"] == "method_not_allowed"
        )
        response = getattr(client, method)("/api/v1/me/", {"name": "x"}, format="json")
        assert response.status_code == 405 and response.json()["error"]["code"] == "method_not_allowed"
