"""Cursor (keyset) pagination for every list: constant cost at any depth, unlike OFFSET."""

from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination

from happy_partner.api.errors import ApplicationError


class NewestFirstCursorPagination(CursorPagination):
    ordering = ("-created_at", "-id")
    page_size_query_param = "page_size"
    max_page_size = 100

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except NotFound:
            raise ApplicationError(
                code="invalid_cursor",
                message=_("The page cursor is not valid. Start again from the first page."),
                status_code=status.HTTP_400_BAD_REQUEST,
                fields={"cursor": [str(_("Not a cursor this list produced."))]},
            ) from None


def paginated_response(view, queryset):
    """One cursor page of ``queryset`` rendered with the view's serializer class."""
    page = view.paginate_queryset(queryset)
    return view.get_paginated_response(view.get_serializer_class()(page, many=True).data)
