"""Refusing abusive operations before they run: depth, cost (lists multiplied by their page sizes),
and introspection outside development.

Cost is counted on the operation that will run, with its variables: every field costs 1, and what is
selected under a list costs once per item it may hold — a connection's ``first`` (or the largest page
when a variable does not say), a report's ``days``, any other list ``LIST_ESTIMATE``. The limits are
sized so that a parent app's family overview (docs/GRAPHQL.md) costs well under a tenth of them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
)
from strawberry.extensions import SchemaExtension

from happy_partner.graphql.errors import INVALID_QUERY, limit_error
from happy_partner.graphql.pagination import DEFAULT_PAGE, MAX_PAGE

MAX_DEPTH = 10
MAX_COST = 5_000
MAX_TOKENS = 2_000  # a query of more tokens is not parsed at all
LIST_ESTIMATE = 10  # a family's children, a child's devices or consents
SIZE_ARGUMENTS = {"first": (DEFAULT_PAGE, MAX_PAGE), "days": (30, 90)}  # argument: (default, largest)
INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})


class _Walk:
    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode], variables: dict[str, Any]):
        self.schema = schema
        self.fragments = fragments
        self.variables = variables

    def _size(self, node: FieldNode, field: GraphQLField) -> int | None:
        """The items a sized field's lists may hold, from its argument (literal or variable)."""
        for name, (default, largest) in SIZE_ARGUMENTS.items():
            if name not in field.args:
                continue
            value: Any = default
            for argument in node.arguments or ():
                if argument.name.value != name:
                    continue
                if isinstance(argument.value, IntValueNode):
                    value = int(argument.value.value)
                elif isinstance(argument.value, VariableNode):
                    value = self.variables.get(argument.value.name.value, largest)
                else:
                    value = largest
            return value if isinstance(value, int) and 0 < value <= largest else largest
        return None

    def _fields(
        self, selections: SelectionSetNode, parent: Any, seen: frozenset[str]
    ) -> Iterator[tuple[FieldNode, Any]]:
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                yield selection, parent
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent
                yield from self._fields(selection.selection_set, inner, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in seen:  # validation refuses cycles; never loop
                    inner = self.schema.get_type(fragment.type_condition.name.value)
                    yield from self._fields(fragment.selection_set, inner, seen | {name})

    def cost(self, selections: SelectionSetNode, parent: Any, depth: int, size: int) -> int:
        total = 0
        for node, owner in self._fields(selections, parent, frozenset()):
            name = node.name.value
            if name in INTROSPECTION_FIELDS and not settings.GRAPHQL_INTROSPECTION:
                raise limit_error("introspection_disabled", _("Introspection is switched off on this server."))
            if name.startswith("__") or not isinstance(owner, GraphQLObjectType) or name not in owner.fields:
                total += 1  # __typename; unknown names were refused by validation
                continue
            if depth + 1 > MAX_DEPTH:
                raise limit_error(
                    "query_too_deep", _("This query nests deeper than %(max)d levels.") % {"max": MAX_DEPTH}
                )
            field = owner.fields[name]
            own = self._size(node, field)
            listed = is_list_type(get_nullable_type(field.type))
            items = (own or size) if listed else 1
            # A sized field's lists hold its size (a connection's edges); an item's own lists are estimated.
            inner_size = own if own is not None else (LIST_ESTIMATE if listed else size)
            inner = (
                self.cost(node.selection_set, get_named_type(field.type), depth + 1, inner_size)
                if node.selection_set
                else 0
            )
            total += items * (1 + inner)
        return total


def operation_cost(
    *, schema: GraphQLSchema, document: Any, operation_name: str | None, variables: dict[str, Any] | None
) -> int:
    """The cost of the operation that will run; raises the refusal when a limit is passed."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is None and len(operations) > 1:
        raise limit_error(INVALID_QUERY, _("This document has several operations: say which to run (operationName)."))
    operation = next(
        (o for o in operations if operation_name is None or (o.name and o.name.value == operation_name)), None
    )
    if operation is None:
        return 0
    root = schema.get_root_type(operation.operation)
    cost = _Walk(schema, fragments, variables or {}).cost(operation.selection_set, root, 0, LIST_ESTIMATE)
    if cost > MAX_COST:
        raise limit_error(
            "query_too_complex",
            _("This query asks for too much at once (cost %(cost)d, at most %(max)d). Ask for smaller pages.")
            % {"cost": cost, "max": MAX_COST},
        )
    return cost


class QueryLimits(SchemaExtension):
    """Runs after GraphQL's own validation (so the operation is well formed), before any resolver."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        operation_cost(
            schema=context.schema._schema,
            document=context.graphql_document,
            # What the client named: strawberry's operation_name falls back to the first operation.
            operation_name=context._provided_operation_name,
            variables=context.variables,
        )
        yield
