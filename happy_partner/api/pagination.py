"""Cursor (keyset) pagination for every list: constant cost at any depth, unlike OFFSET."""

from datetime import UTC, datetime

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination

from happy_partner.errors import ApplicationError, Failure

MIN_POSITION = datetime(2000, 1, 1, tzinfo=UTC)
MAX_POSITION = datetime(9000, 1, 1, tzinfo=UTC)


MAX_PAGE_SIZE = 100  # the largest page of any list, over REST (page_size) and GraphQL (first)


class NewestFirstCursorPagination(CursorPagination):
    ordering = ("-created_at", "-id")
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def decode_cursor(self, request):
        """Refuse a cursor that does not decode, or whose position is not a sane timestamp (every
        list here is ordered by a datetime): a forged position must not reach the database."""
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise invalid_cursor() from None
        if cursor is not None and cursor.position is not None:
            cursor_position(cursor.position)
        return cursor


def cursor_position(position: object) -> datetime:
    """The datetime a cursor's position names, or ``invalid_cursor`` when it is not a sane timestamp:
    a forged position must not reach the database (REST's cursors and GraphQL's alike)."""
    try:
        parsed = parse_datetime(position) if isinstance(position, str) else None  # 2026-13-01: ValueError
        if parsed is None or not MIN_POSITION <= parsed.astimezone(UTC) <= MAX_POSITION:
            raise invalid_cursor()
    except (ValueError, OverflowError):
        raise invalid_cursor() from None
    return parsed


def invalid_cursor() -> ApplicationError:
    return ApplicationError(
        code="invalid_cursor",
        message=_("The page cursor is not valid. Start again from the first page."),
        kind=Failure.INVALID,
        fields={"cursor": [str(_("Not a cursor this list produced."))]},
    )


def paginated_response(view, queryset):
    """One cursor page of ``queryset`` rendered with the view's serializer class."""
    page = view.paginate_queryset(queryset)
    return view.get_paginated_response(view.get_serializer_class()(page, many=True).data)
