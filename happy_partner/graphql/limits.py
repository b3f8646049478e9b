"""Refusing abusive operations before they run: depth, cost (lists multiplied by their page sizes),
and introspection outside development.

Cost is counted on the operation that will run, with its variables: every field costs 1 (a root or an
insights report, which read the database themselves, ``READ_COST``), and what is selected under a list
costs once per item it may hold — a connection's ``first`` (or the largest page when a variable does
not say), a report's ``days``, any other list ``LIST_ESTIMATE``. An operation runs at most
``MAX_READS`` roots and reports. The limits are sized so that a parent app's family overview
(docs/GRAPHQL.md) costs about a tenth of them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
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
from happy_partner.graphql.pagination import MAX_PAGE

MAX_DEPTH = 10
MAX_COST = 5_000
MAX_TOKENS = 2_000  # a query of more tokens is not parsed at all
LIST_ESTIMATE = 10  # a family's children, a child's devices or consents (typical; each loaded in one query)
# Fields that run their own database reads: every root (a selector, a service) and each insights report.
# Aliases would multiply them (and a throttle counts requests, not reads): an operation runs at most
# MAX_READS of them, aliases and fragments included, and each weighs as much as a page of rows.
READ_COST = 100
MAX_READS = 10
ROOT_TYPES = frozenset({"Query", "Mutation"})
REPORTS = frozenset({("Insights", "activity"), ("Insights", "learning"), ("Insights", "emotions")})
SIZE_ARGUMENTS = {"first": MAX_PAGE, "days": 90}  # argument: its largest value
INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})


class _Walk:
    """One operation's cost and depth, each fragment costed once per place it can stand (its size and
    depth), never again where it is spread again: a document of fragments that spread each other twice
    is linear to cost, not exponential. Stops as soon as a limit is passed."""

    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode], variables: dict[str, Any]):
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.costed: dict[tuple[str, int, int], tuple[int, int]] = {}  # cost, reads
        self.reads = 0

    def _size(self, node: FieldNode, field: GraphQLField) -> int | None:
        """The items a sized field's lists may hold, from its argument (literal, variable or default)."""
        for name, largest in SIZE_ARGUMENTS.items():
            if name not in field.args:
                continue
            value: Any = field.args[name].default_value
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

    def cost(self, selections: SelectionSetNode, parent: Any, depth: int, size: int, seen: frozenset[str]) -> int:
        total = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                total += self._field(selection, parent, depth, size)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent
                total += self.cost(selection.selection_set, inner, depth, size, seen)
            elif isinstance(selection, FragmentSpreadNode):
                total += self._spread(selection.name.value, depth, size, seen)
            if total > MAX_COST:
                raise _too_complex(total)
        return total

    def _spread(self, name: str, depth: int, size: int, seen: frozenset[str]) -> int:
        fragment = self.fragments.get(name)
        if fragment is None or name in seen:  # validation refuses unknown and cyclic spreads; never loop
            return 0
        key = (name, depth, size)
        if key in self.costed:
            cost, reads = self.costed[key]
            self._count_reads(reads)
            return cost
        before = self.reads
        inner = self.schema.get_type(fragment.type_condition.name.value)
        cost = self.cost(fragment.selection_set, inner, depth, size, seen | {name})
        self.costed[key] = (cost, self.reads - before)
        return cost

    def _count_reads(self, n: int) -> None:
        self.reads += n
        if self.reads > MAX_READS:
            raise limit_error(
                "query_too_complex",
                _("Ask for at most %(max)d lists or reports in one query.") % {"max": MAX_READS},
            )

    def _field(self, node: FieldNode, owner: Any, depth: int, size: int) -> int:
        name = node.name.value
        if name in INTROSPECTION_FIELDS and not settings.GRAPHQL_INTROSPECTION:
            raise limit_error("introspection_disabled", _("Introspection is switched off on this server."))
        if name.startswith("__") or not isinstance(owner, GraphQLObjectType) or name not in owner.fields:
            return 1  # __typename; unknown names were refused by validation
        if depth + 1 > MAX_DEPTH:
            raise limit_error("query_too_deep", _("This query nests deeper than %(max)d levels.") % {"max": MAX_DEPTH})
        field = owner.fields[name]
        own = self._size(node, field)
        listed = is_list_type(get_nullable_type(field.type))
        items = (own or size) if listed else 1
        # A sized field's lists hold its size (a connection's edges); an item's own lists are estimated.
        inner_size = own if own is not None else (LIST_ESTIMATE if listed else size)
        inner = (
            self.cost(node.selection_set, get_named_type(field.type), depth + 1, inner_size, frozenset())
            if node.selection_set
            else 0
        )
        reads = 0
        if owner.name in ROOT_TYPES or (owner.name, name) in REPORTS:  # one read, whatever it returns
            self._count_reads(1)
            reads = READ_COST
        return reads + items * (1 + inner)


def _too_complex(cost: int) -> GraphQLError:
    return limit_error(
        "query_too_complex",
        _("This query asks for too much at once (cost over %(max)d). Ask for fewer things or smaller pages.")
        % {"max": MAX_COST},
    )


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
    return _Walk(schema, fragments, variables or {}).cost(operation.selection_set, root, 0, LIST_ESTIMATE, frozenset())


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
