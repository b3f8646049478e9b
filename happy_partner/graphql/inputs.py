"""GraphQL input checked by REST's own serializers: one definition of what a valid change is."""

from __future__ import annotations

import dataclasses
from typing import Any

import strawberry
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.serializers import Serializer
from strawberry.utils.str_converters import to_camel_case

from happy_partner.errors import not_found


def _camel(detail: Any) -> Any:
    """Field names in errors as the GraphQL client wrote them (``dailyMinutes``, not ``daily_minutes``)."""
    if isinstance(detail, dict):
        return {to_camel_case(str(key)): value for key, value in detail.items()}
    return detail


def checked(serializer_class: type[Serializer], data: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """``data`` validated by ``serializer_class``; refused with the fields named as in GraphQL."""
    serializer = serializer_class(data=data, partial=partial)
    if not serializer.is_valid():
        raise exceptions.ValidationError(_camel(serializer.errors))
    return dict(serializer.validated_data)


def validated(serializer_class: type[Serializer], value: Any, *, partial: bool = False) -> dict[str, Any]:
    """The fields of an input object the client set (``UNSET`` ones left out), validated."""
    data = {
        field.name: getattr(value, field.name)
        for field in dataclasses.fields(value)
        if getattr(value, field.name) is not strawberry.UNSET
    }
    return checked(serializer_class, data, partial=partial)


MAX_ID = 2**63 - 1  # the largest row id PostgreSQL and SQLite store


def int_id(value: str | int, *, missing: str) -> int:
    """An ``ID`` argument as a row id; anything else (" 1", "١", "", "-1", past 2**63) names nothing:
    ``not_found``, as REST's paths answer."""
    text = str(value)
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_ID:
        raise not_found(missing)
    return int(text)


def child_ref(value: str) -> int:
    return int_id(value, missing=_("No such child."))
