"""Abusive operations are refused before any resolver runs: too deep, too costly (wide, aliased,
large pages, by literal or by variable), too many tokens, too long, introspection in production;
and the printed schema in docs/ is the schema served."""

# ruff: noqa: E501

from __future__ import annotations

import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from happy_partner.graphql import limits
from happy_partner.graphql.schema import SCHEMA_FILE, schema_text
from tests.happy_partner.graphql.conftest import URL, error_codes, graphql

ALERT_FIELDS = "id child severity evidence categories createdAt"


@pytest.fixture
def parent(cast):
    return cast.client_for("parent_a")


def _refused(client, query, code, variables=None):
    with CaptureQueriesContext(connection) as queries:
        status, body = graphql(client, query, variables)
    assert status == 400 and body["data"] is None, body
    assert error_codes(body) == [code], body
    assert body["errors"][0]["message"]
    return len(queries)


@pytest.mark.django_db
def test_a_wide_aliased_query_is_refused_before_it_reads_anything(parent):
    wide = "{ " + " ".join(f"a{i}: alerts(first: 100) {{ nodes {{ {ALERT_FIELDS} }} }}" for i in range(10)) + " }"
    reads = _refused(parent, wide, "query_too_complex")
    assert reads <= 2  # authentication only (the user's row, its session): no resolver ran


@pytest.mark.django_db
def test_a_page_size_by_variable_counts_as_asked_and_a_missing_one_as_the_largest(parent):
    query = (
        "query($n: Int!) { "
        + " ".join(f"a{i}: alerts(first: $n) {{ nodes {{ {ALERT_FIELDS} }} }}" for i in range(6))
        + " }"
    )
    status, body = graphql(parent, query, {"n": 10})
    assert status == 200 and "errors" not in body, body
    _refused(parent, query, "query_too_complex", {"n": 100})
    optional = (
        "query($n: Int = 20) { "
        + " ".join(f"a{i}: alerts(first: $n) {{ nodes {{ {ALERT_FIELDS} }} }}" for i in range(6))
        + " }"
    )
    _refused(parent, optional, "query_too_complex", {})


@pytest.mark.django_db
def test_fragments_are_counted_where_they_are_spread(parent):
    query = (
        "fragment A on SafetyEvent { "
        + ALERT_FIELDS
        + " } { "
        + " ".join(f"a{i}: alerts(first: 100) {{ nodes {{ ...A }} }}" for i in range(10))
        + " }"
    )
    _refused(parent, query, "query_too_complex")


@pytest.mark.django_db
def test_a_query_deeper_than_the_limit_is_refused(parent, monkeypatch):
    # The schema has no cycles today, so its deepest query is shallow; the limit guards the future.
    query = "{ children { recentSessions { id } } }"
    assert graphql(parent, query)[0] == 200
    monkeypatch.setattr(limits, "MAX_DEPTH", 2)
    _refused(parent, query, "query_too_deep")


@pytest.mark.django_db
def test_pages_are_capped(parent, cast):
    for first in (0, 101):
        status, body = graphql(
            parent, f'{{ messages(child: "{cast.child_a1.pk}", first: {first}) {{ nodes {{ id }} }} }}'
        )
        assert error_codes(body) == ["invalid"] and "first" in body["errors"][0]["extensions"]["fields"], body
    status, body = graphql(parent, "{ children { recentSessions(first: 11) { id } } }")
    assert error_codes(body) == ["invalid"], body


@pytest.mark.django_db
def test_too_many_tokens_or_characters_are_not_parsed(parent):
    tokens = "{ " + "__typename " * (limits.MAX_TOKENS + 1) + "}"
    status, body = graphql(parent, tokens[:19_000])
    assert status == 400 and error_codes(body) == ["invalid_query"], body
    response = parent.post(URL, {"query": "{ me { __typename } }" + " " * 20_000}, format="json")
    assert response.status_code == 400 and "query" in response.json()["errors"][0]["extensions"]["fields"]


@pytest.mark.django_db
def test_introspection_only_where_it_is_switched_on(parent, settings):
    settings.GRAPHQL_INTROSPECTION = False
    _refused(parent, "{ __schema { queryType { name } } }", "introspection_disabled")
    _refused(parent, '{ __type(name: "Child") { name } }', "introspection_disabled")
    assert graphql(parent, "{ __typename }")[1] == {"data": {"__typename": "Query"}}
    settings.GRAPHQL_INTROSPECTION = True
    status, body = graphql(parent, "{ __schema { queryType { name } } }")
    assert status == 200 and body["data"]["__schema"]["queryType"]["name"] == "Query"


def test_introspection_is_off_unless_debug_or_asked():
    from django.conf import settings

    assert settings.DEBUG is False and settings.GRAPHQL_INTROSPECTION is False


@pytest.mark.django_db
def test_invalid_documents_answer_graphql_s_message_with_our_code(parent):
    for query in (
        "{ children { nosuchfield } }",
        "{ children { id ",
        "fragment A on Child { ...A } { children { ...A } }",
    ):
        _refused(parent, query, "invalid_query")


def test_the_schema_file_in_docs_is_the_schema_served():
    assert SCHEMA_FILE.read_text() == schema_text(), "docs/schema.graphql is not current: run `make graphql-schema`"
    call_command("graphql_schema", "--check")


def test_the_schema_check_fails_on_a_stale_file(tmp_path, monkeypatch):
    stale = tmp_path / "schema.graphql"
    stale.write_text("type Query { old: Int }\n")
    monkeypatch.setattr("happy_partner.management.commands.graphql_schema.SCHEMA_FILE", stale)
    with pytest.raises(CommandError, match="not current"):
        call_command("graphql_schema", "--check")
    call_command("graphql_schema")
    assert stale.read_text() == schema_text()


@pytest.mark.django_db
def test_fragments_spread_twice_at_every_level_are_costed_once_each(parent):
    """A document of 60 fragments each spreading the next twice would be 2**60 fields to walk naively."""
    chain = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(60))
    query = "query { ...F0 } " + chain + " fragment F60 on Query { __typename }"
    started = time.perf_counter()
    _refused(parent, query, "query_too_complex")
    assert time.perf_counter() - started < 2


@pytest.mark.django_db
def test_aliases_cannot_multiply_the_database_work_of_one_request(parent, cast):
    many = (
        "query($c: ID!) { "
        + " ".join(f"m{i}: messages(child: $c, first: 1) {{ nodes {{ id }} }}" for i in range(11))
        + " }"
    )
    reads = _refused(parent, many, "query_too_complex", {"c": cast.child_a1.pk})
    assert reads <= 2
    through_a_fragment = (
        "query($c: ID!) { ...M } fragment M on Query { "
        + " ".join(f"m{i}: messages(child: $c, first: 1) {{ nodes {{ id }} }}" for i in range(11))
        + " }"
    )
    _refused(parent, through_a_fragment, "query_too_complex", {"c": cast.child_a1.pk})
    reports = (
        "query($c: ID!) { "
        + " ".join(
            f"i{i}: insights(child: $c, days: 90) {{ activity {{ __typename }} learning {{ __typename }} emotions {{ __typename }} }}"
            for i in range(10)
        )
        + " }"
    )
    _refused(parent, reports, "query_too_complex", {"c": cast.child_a1.pk})
    ten = (
        "query($c: ID!) { "
        + " ".join(f"m{i}: messages(child: $c, first: 1) {{ nodes {{ id }} }}" for i in range(10))
        + " }"
    )
    assert graphql(parent, ten, {"c": cast.child_a1.pk})[0] == 200


@pytest.mark.django_db
def test_a_document_with_nothing_to_run_by_that_name_is_refused(parent):
    for body in (
        {"query": "query A { me { __typename } }", "operationName": "B"},
        {"query": "fragment F on Query { me { __typename } }"},
    ):
        response = parent.post(URL, body, format="json")
        assert response.status_code == 400, response.content
        assert response.json()["errors"][0]["extensions"]["code"] == "invalid_query"


@pytest.mark.django_db
def test_suggestions_do_not_tell_the_schema_while_introspection_is_off(parent, settings):
    settings.GRAPHQL_INTROSPECTION = False
    status, body = graphql(parent, "{ sessions(firs: 1) { nodes { id } } }")
    assert status == 400 and "Did you mean" not in body["errors"][0]["message"], body
    settings.GRAPHQL_INTROSPECTION = True
    assert "Did you mean" in graphql(parent, "{ sessions(firs: 1) { nodes { id } } }")[1]["errors"][0]["message"]
