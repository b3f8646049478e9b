"""No N+1: the family overview reads a fixed number of queries whatever the number of children, and a
page of messages whatever its size."""

# GraphQL documents are written on one line each, as an app sends them.
# ruff: noqa: E501

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import ConsentScope
from tests.factories import login, make_child, make_parent, pair_device
from tests.happy_partner.graphql.conftest import graphql
from tests.happy_partner.graphql.test_queries import OVERVIEW

MORNING = datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
OVERVIEW_QUERIES = 12  # the bound the benchmark reports too (bench/bench_graphql.py)


@pytest.fixture(autouse=True)
def _daytime():
    with time_machine.travel(MORNING, tick=False):
        yield


def _family(email: str, children: int, messages: int):
    from accounts.principals import ChildPrincipal
    from conversations.services.pipeline import message_send

    parent = make_parent(email)
    for n in range(children):
        child = make_child(parent, name=f"Kid {n}", scopes=[ConsentScope.CHAT, ConsentScope.VOICE])
        device, _tokens = pair_device(parent, child, name=f"Tablet {n}")
        for text in ["我喜欢恐龙", "我不想活了", "3加5等于几"][:messages]:
            message_send(actor=ChildPrincipal(child=child, device=device), child_id=child.pk, text=text)
    return login(email)


def _count(client, query, variables=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        status, body = graphql(client, query, variables)
    assert status == 200 and "errors" not in body, body
    return len(queries)


@pytest.mark.django_db
def test_the_family_overview_costs_the_same_for_one_child_and_for_four():
    one = _count(_family("one@example.com", 1, 3), OVERVIEW)
    four = _count(_family("four@example.com", 4, 3), OVERVIEW)
    assert one == four <= OVERVIEW_QUERIES, (one, four)


@pytest.mark.django_db
def test_a_page_of_messages_costs_the_same_at_any_size(cast):
    client = _family("talker@example.com", 1, 3)
    from accounts.models import ChildProfile

    child = ChildProfile.objects.get(display_name="Kid 0", guardianships__guardian__email="talker@example.com")
    query = "query($c: ID!, $n: Int!) { messages(child: $c, first: $n) { nodes { id text safety { action } session replyTo } pageInfo { endCursor } } }"
    small = _count(client, query, {"c": child.pk, "n": 1})
    large = _count(client, query, {"c": child.pk, "n": 100})
    assert small == large, (small, large)
