"""DRF's ``serializers`` namespace with strict request bodies: the one definition of what a JSON
request body may contain, for every serializer of the API.

Use it where DRF's is used: ``from happy_partner.api import serializers``. Everything is DRF's
(fields, ``ValidationError``, ...) but :class:`Serializer` and :class:`ModelSerializer`, which
refuse, before DRF's own validation and with a 400 naming the field:

- a key the serializer does not write (unknown, or read-only);
- a value whose JSON type is not the one the field's schema says (:func:`json_type`): a number or
  ``true`` for a string, ``"5"`` or ``5.0`` for an integer, ``"true"`` or ``1`` for a boolean, a
  string for a list or an object — DRF would coerce them silently (``{"text": 123}`` became "123");
- a partial update (``PATCH``) that names no field: it would change nothing yet answer 200.

Only a JSON object is checked this way. A query string (a ``QueryDict``) has only strings and
carries other parameters too (``cursor``, ``page_size``), so query serializers validate it as DRF
does. The OpenAPI schema says the same (:mod:`happy_partner.api.schema`): request bodies have
``additionalProperties: false`` and PATCH bodies ``minProperties: 1``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers as drf
from rest_framework.serializers import *  # noqa: F403  (the namespace this module stands in for)
from rest_framework.settings import api_settings

JSON_TYPE_MESSAGES = {
    "string": _("Must be a string."),
    "integer": _("Must be an integer."),
    "number": _("Must be a number."),
    "boolean": _("Must be true or false."),
    "array": _("Must be a list."),
    "object": _("Must be an object."),
}
UNKNOWN_FIELD = _("Unknown field.")
READ_ONLY_FIELD = _("This field is read-only.")
NOTHING_TO_CHANGE = _("Send at least one field to change.")
NO_BODY = _("This request takes no body.")

# The field classes as their schema types them; the first match wins (subclasses before bases).
_JSON_TYPES: list[tuple[type, str]] = [
    (drf.BooleanField, "boolean"),
    (drf.IntegerField, "integer"),
    (drf.FloatField, "number"),
    (drf.DecimalField, "number"),
    (drf.MultipleChoiceField, "array"),
    (drf.ListField, "array"),
    (drf.ListSerializer, "array"),
    (drf.DictField, "object"),
    (drf.BaseSerializer, "object"),
    (drf.CharField, "string"),  # EmailField, RegexField, SlugField, URLField, ...
    (drf.DateTimeField, "string"),
    (drf.DateField, "string"),
    (drf.TimeField, "string"),
    (drf.DurationField, "string"),
    (drf.UUIDField, "string"),
]
_PYTHON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}


def json_type(field: drf.Field) -> str | None:
    """The JSON type a request value for ``field`` must have, or None when any is accepted."""
    if isinstance(field, drf.ChoiceField) and not isinstance(field, drf.MultipleChoiceField):
        keys = list(field.choices)
        if keys and all(isinstance(key, str) for key in keys):
            return "string"
        if keys and all(isinstance(key, int) and not isinstance(key, bool) for key in keys):
            return "integer"
        return None
    for field_class, name in _JSON_TYPES:
        if isinstance(field, field_class):
            return name
    return None


def value_errors(field: drf.Field, value: Any) -> Any:
    """DRF-shaped errors (a list of messages, or per index / per key) for ``value``, or None."""
    if value is None:
        return None  # allowed or not by the field itself (allow_null)
    expected = json_type(field)
    if expected is None:
        return None
    is_bool = isinstance(value, bool)
    if not isinstance(value, _PYTHON_TYPES[expected]) or (is_bool and expected != "boolean"):
        return [JSON_TYPE_MESSAGES[expected]]
    child = getattr(field, "child", None)
    if isinstance(value, list) and isinstance(child, drf.Field):
        items = {index: value_errors(child, item) for index, item in enumerate(value)}
        return {index: error for index, error in items.items() if error} or None
    if isinstance(value, dict) and isinstance(field, drf.DictField) and isinstance(child, drf.Field):
        entries = {key: value_errors(child, item) for key, item in value.items()}
        return {key: error for key, error in entries.items() if error} or None
    if isinstance(value, dict) and isinstance(field, drf.Serializer):
        return body_errors(field, value, partial=False) or None
    return None


def body_errors(serializer: drf.Serializer, data: Mapping[str, Any], *, partial: bool) -> dict[str, Any]:
    """Errors for the keys of a JSON object sent to ``serializer``."""
    writable = {field.field_name: field for field in serializer.fields.values() if not field.read_only}
    errors: dict[str, Any] = {}
    for key, value in data.items():
        field = writable.get(key)
        if field is None:
            errors[key] = [READ_ONLY_FIELD if key in serializer.fields else UNKNOWN_FIELD]
        elif error := value_errors(field, value):
            errors[key] = error
    if not errors and partial and not data:
        errors[api_settings.NON_FIELD_ERRORS_KEY] = [NOTHING_TO_CHANGE]
    return errors


# The checks above, before DRF's own validation, for serializers that take JSON objects. (Comments,
# not docstrings, on these classes: the schema generator would show a base class's docstring as the
# description of every serializer built on it.)
class Serializer(drf.Serializer):  # type: ignore[no-redef]
    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping) and not isinstance(data, QueryDict):
            errors = body_errors(self, data, partial=bool(self.partial))
            if errors:
                raise drf.ValidationError(errors)
        return super().to_internal_value(data)


class ModelSerializer(Serializer, drf.ModelSerializer):  # type: ignore[no-redef,misc,metaclass]
    pass


StrictInput = Serializer  # what makes a serializer strict: being built on this one


def is_strict(serializer: Any) -> bool:
    return isinstance(serializer, StrictInput) or (isinstance(serializer, type) and issubclass(serializer, StrictInput))
