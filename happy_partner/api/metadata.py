"""What ``OPTIONS`` answers on every API path."""

from __future__ import annotations

from rest_framework.metadata import SimpleMetadata


class ApiMetadata(SimpleMetadata):
    """The view's name, description and media types, never DRF's form of its fields.

    DRF's default lists the fields of ``view.get_serializer()`` (after ``get_object()`` for PUT):
    views here render with explicit request and response serializers and read through selectors,
    so that listing fails (HTTP 500) or describes the wrong serializer. The request and response
    shapes are in the OpenAPI schema (``/api/v1/schema/``).
    """

    def determine_actions(self, request, view) -> dict:
        return {}
