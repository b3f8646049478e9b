"""Hand-written SQL for the few statements every chat message runs.

On the per-message path Django's query compilation costs three to five times the statement's own
round trip (bench/RESULTS.md: 0.4-0.5 ms against 0.08-0.1 ms for a row lock). These helpers keep
such statements short, parameterised and portable (PostgreSQL and SQLite): table and column names
come from the models, values are always parameters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection
from django.db.models import Field, Model


def statement(template: str, **tables: type[Model]) -> str:
    """``template`` with each ``{name}`` replaced by the quoted table name of the model passed as
    ``name=`` and ``{for_update}`` by the row-lock clause where the database has one (SQLite locks
    the whole database on write). Only names are substituted: values go in as parameters."""
    names = {name: connection.ops.quote_name(model._meta.db_table) for name, model in tables.items()}
    return template.format(**names, for_update=" FOR UPDATE" if connection.features.has_select_for_update else "")


def fetch_all(template: str, params: Sequence[Any], **tables: type[Model]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(statement(template, **tables), params)
        return cursor.fetchall()


def execute(template: str, params: Sequence[Any], **tables: type[Model]) -> int:
    """Run a write and return the number of rows it touched."""
    with connection.cursor() as cursor:
        cursor.execute(statement(template, **tables), params)
        return cursor.rowcount


def _concrete(field: object) -> Field:
    """A field with a column of its own; a reverse relation or generic key has none to update."""
    if not isinstance(field, Field) or field.column is None:
        raise TypeError(f"{field!r} has no column")
    return field


def update(model: type[Model], pk: Any, *, increments: Mapping[str, int] | None = None, **values: Any) -> int:
    """One UPDATE of the row ``pk``: ``values`` set (converted by their fields, as the ORM would),
    ``increments`` added to the stored numbers. Returns the number of rows touched."""
    meta = model._meta
    quote = connection.ops.quote_name
    assignments, params = [], []
    for name, value in values.items():
        field = _concrete(meta.get_field(name))
        assignments.append(f"{quote(field.column)} = %s")
        params.append(field.get_db_prep_save(value, connection))
    for name, amount in (increments or {}).items():
        column = quote(_concrete(meta.get_field(name)).column)
        assignments.append(f"{column} = {column} + %s")
        params.append(amount)
    # Names come from the model's meta, every value is a parameter.
    table, key = quote(meta.db_table), quote(meta.pk.column)
    statement = f"UPDATE {table} SET {', '.join(assignments)} WHERE {key} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, pk])
        return cursor.rowcount
