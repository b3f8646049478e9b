"""The one schema: the roots of each part merged, with the limits; printed to docs/schema.graphql."""

from __future__ import annotations

from pathlib import Path

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaxTokensLimiter, ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from happy_partner.graphql.chats import ChatMutation, ChatQuery
from happy_partner.graphql.family import FamilyMutation, FamilyQuery
from happy_partner.graphql.limits import MAX_TOKENS, QueryLimits

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "schema.graphql"

Query = merge_types("Query", (FamilyQuery, ChatQuery))
Mutation = merge_types("Mutation", (FamilyMutation, ChatMutation))


class Schema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """Strawberry logs every error with its traceback; ours are answers, not incidents. What is
        unexpected is logged where it is turned into ``server_error`` (happy_partner.graphql.errors)."""


schema = Schema(
    query=Query,
    mutation=Mutation,
    # An app sends the same few documents again and again: each is parsed and validated once per process
    # (bounded LRU caches: 128 documents), about a tenth of the family overview's server time.
    extensions=[
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        ParserCache,
        ValidationCache,
        QueryLimits,
    ],
    config=StrawberryConfig(disable_field_suggestions=True),
)


def schema_text() -> str:
    return schema.as_str() + "\n"
