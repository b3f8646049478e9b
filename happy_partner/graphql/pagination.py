"""Cursor connections for GraphQL lists: keyset pages, newest first, like REST's (never an OFFSET)."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

import strawberry
from django.conf import settings
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from happy_partner.api.pagination import MAX_PAGE_SIZE, cursor_position, invalid_cursor
from happy_partner.errors import ApplicationError

NodeT = TypeVar("NodeT")
ModelT = TypeVar("ModelT", bound=Model)

MAX_PAGE = MAX_PAGE_SIZE
DEFAULT_PAGE = cast(int, settings.REST_FRAMEWORK["PAGE_SIZE"])  # REST's default page, GraphQL's default first


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None = strawberry.field(description="Pass as `after` for the next (older) page.")


@strawberry.type
class Edge(Generic[NodeT]):
    cursor: str
    node: NodeT


@strawberry.type(description="A page of a list, newest first.")
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]]
    page_info: PageInfo

    @strawberry.field(description="The page's items without their cursors.")
    def nodes(self) -> list[NodeT]:
        return [edge.node for edge in self.edges]


@dataclass(frozen=True)
class Ordering:
    """Newest first by ``field``, ties broken by id: the order REST's cursor pagination uses."""

    field: str = "created_at"

    def key(self, row: Model) -> str:
        position = getattr(row, self.field)
        raw = f"{position.isoformat()}|{row.pk}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def after(self, queryset: QuerySet[ModelT], cursor: str) -> QuerySet[ModelT]:
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
            position_text, _sep, pk_text = raw.rpartition("|")
            pk = int(pk_text)
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise invalid_cursor() from None
        position = cursor_position(position_text)
        if position.tzinfo is None:
            raise invalid_cursor()
        before = Q(**{f"{self.field}__lt": position}) | Q(**{self.field: position, "pk__lt": pk})
        return queryset.filter(before)


def page_size(first: int, *, largest: int = MAX_PAGE) -> int:
    """``first`` checked against the cap, with the error naming the argument."""
    if not 1 <= first <= largest:
        raise ApplicationError(
            code="invalid",
            message=_("Some fields are not valid."),
            fields={"first": [_("Ask for between 1 and %(max)d items.") % {"max": largest}]},
        )
    return first


def connection(
    queryset: QuerySet[ModelT], *, first: int, after: str | None, ordering: Ordering = Ordering()
) -> Connection[Any]:
    """One page of ``queryset`` (already scoped by a selector) and whether there is another; its nodes
    are the rows, which the node type (a strawberry-django type) reads."""
    size = page_size(first)
    if after is not None:
        queryset = ordering.after(queryset, after)
    rows: Sequence[ModelT] = list(queryset.order_by(f"-{ordering.field}", "-pk")[: size + 1])
    page = rows[:size]
    edges: list[Edge[Any]] = [Edge(cursor=ordering.key(row), node=row) for row in page]
    return Connection(
        edges=edges,
        page_info=PageInfo(has_next_page=len(rows) > size, end_cursor=edges[-1].cursor if edges else None),
    )
