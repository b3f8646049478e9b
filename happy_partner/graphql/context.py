"""What every resolver knows about its request: who asks, and the batches shared by a list's items."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from rest_framework.request import Request
from strawberry.types import Info

from accounts.api.permissions import IsParent
from accounts.models import User
from accounts.principals import Actor, ChildPrincipal
from happy_partner.errors import ApplicationError, Failure

T = TypeVar("T")


@dataclass
class ChildBatch:
    """Loads a relation of every child the request has reached in one query, the first time one child
    asks (a family of five costs what a family of one does). ``ids`` grows as roots register children."""

    ids: set[int] = field(default_factory=set)
    loaded: dict[str, dict[int, Any]] = field(default_factory=dict)

    def register(self, child_ids: Iterable[int]) -> None:
        self.ids.update(child_ids)

    def get(self, name: str, child_id: int, load: Callable[[list[int]], dict[int, T]], default: Callable[[], T]) -> T:
        cache = self.loaded.setdefault(name, {})
        if child_id not in cache:
            missing = sorted(i for i in self.ids | {child_id} if i not in cache)
            found = load(missing)
            for i in missing:
                cache[i] = found.get(i, default())
        return cache[child_id]


@dataclass
class GraphQLContext:
    request: Request
    children: ChildBatch = field(default_factory=ChildBatch)

    @property
    def principal(self) -> Actor:
        return cast(Actor, self.request.user)  # the view admits parents and devices only


def principal(info: Info) -> Actor:
    return info.context.principal


def parent(info: Info) -> User:
    """The parent asking; a child device gets REST's ``parent_required`` (403) for parents' data."""
    actor = info.context.principal
    if isinstance(actor, ChildPrincipal) or not IsParent().has_permission(info.context.request, None):
        raise ApplicationError(code=IsParent.code, message=str(IsParent.message), kind=Failure.FORBIDDEN)
    return actor


def batch(info: Info) -> ChildBatch:
    return info.context.children
