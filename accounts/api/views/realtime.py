"""``POST realtime/ticket/``: a short-lived, single-use ticket for opening a WebSocket (see
``accounts.services.tickets``)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts.api.permissions import IsParentOrChildDevice
from accounts.api.serializers import RealtimeTicketSerializer
from accounts.services.tickets import TICKET_SECONDS, realtime_ticket_issue
from happy_partner.api.views import ApiView


class RealtimeTicketView(ApiView):
    permission_classes = [IsParentOrChildDevice]
    serializer_class = RealtimeTicketSerializer

    @extend_schema(request=None, responses={201: RealtimeTicketSerializer}, tags=["realtime"])
    def post(self, request):
        ticket = realtime_ticket_issue(actor=request.user)
        return Response({"ticket": ticket, "expires_in": TICKET_SECONDS}, status=status.HTTP_201_CREATED)
