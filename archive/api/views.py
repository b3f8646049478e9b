"""The data-lifecycle API for parents: archived conversations (read, restore), retention, exports,
erasing the account (docs/DATA_LIFECYCLE.md). Thin views over ``archive.services``."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts.api.permissions import IsParent
from accounts.selectors import child_get_for_guardian
from accounts.services.users import account_erase, account_erase_confirm
from archive.api.serializers import (
    ArchivedMessageSerializer,
    ArchiveSerializer,
    EraseAccountSerializer,
    ExportSerializer,
    RestoredSerializer,
    RetentionSerializer,
    RetentionUpdateSerializer,
)
from archive.models import ExportJob, RetentionChoice
from archive.services.archiving import archive_get_for_child, archive_messages, archive_restore, archives_for_child
from archive.services.exports import (
    export_download,
    export_get_for_guardian,
    export_link,
    export_request,
    exports_for_child,
)
from archive.services.retention import retention_choices, retention_choose
from conversations.models.safety import AccessVia
from conversations.services.audit import transcript_read_record
from happy_partner.api.views import ApiView


def export_json(request, job: ExportJob) -> dict:
    path = export_link(job)
    url = request.build_absolute_uri(path) if path else None
    fields = ("id", "status", "progress", "created_at", "finished_at", "expires_at", "size")
    return ExportSerializer(
        {**{f: getattr(job, f) for f in fields}, "child_id": job.child_id, "download_url": url}
    ).data


class ArchiveListView(ApiView):
    permission_classes = [IsParent]
    pagination_class = None  # a few rows a child: months, one archive's batch, recent exports
    serializer_class = ArchiveSerializer

    @extend_schema(responses={200: ArchiveSerializer(many=True)}, tags=["data"])
    def get(self, request, child_id: int):
        child = child_get_for_guardian(user=request.user, child_id=child_id)
        return Response(ArchiveSerializer(archives_for_child(child=child), many=True).data)


class ArchiveMessagesView(ApiView):
    """An archive's messages, oldest first (a read of the transcript: logged)."""

    permission_classes = [IsParent]
    pagination_class = None  # a few rows a child: months, one archive's batch, recent exports
    serializer_class = ArchivedMessageSerializer

    @extend_schema(responses={200: ArchivedMessageSerializer(many=True)}, tags=["data"])
    def get(self, request, child_id: int, archive_id: int):
        child = child_get_for_guardian(user=request.user, child_id=child_id)
        archive = archive_get_for_child(child=child, archive_id=archive_id)
        transcript_read_record(reader=request.user, child_id=child.pk, via=AccessVia.API)
        return Response(ArchivedMessageSerializer(list(archive_messages(archive=archive)), many=True).data)


class ArchiveRestoreView(ApiView):
    """Put an archive's messages back into the history (and delete the archive)."""

    permission_classes = [IsParent]
    serializer_class = RestoredSerializer

    @extend_schema(request=None, responses={200: RestoredSerializer}, tags=["data"])
    def post(self, request, child_id: int, archive_id: int):
        child = child_get_for_guardian(user=request.user, child_id=child_id)
        archive = archive_get_for_child(child=child, archive_id=archive_id)
        return Response({"restored": archive_restore(actor=request.user, archive=archive)})


def _retention_json(child) -> dict:
    choice = RetentionChoice.objects.filter(child=child).first()
    return {
        "transcript_days": choice.transcript_days if choice else None,
        "default_days": settings.RETENTION_TRANSCRIPT_DAYS,
        "choices": retention_choices(),
        "legal_hold": bool(choice and choice.legal_hold),
    }


class RetentionView(ApiView):
    permission_classes = [IsParent]
    serializer_class = RetentionSerializer

    @extend_schema(responses={200: RetentionSerializer}, tags=["data"])
    def get(self, request, child_id: int):
        return Response(_retention_json(child_get_for_guardian(user=request.user, child_id=child_id)))

    @extend_schema(request=RetentionUpdateSerializer, responses={200: RetentionSerializer}, tags=["data"])
    def put(self, request, child_id: int):
        child = child_get_for_guardian(user=request.user, child_id=child_id)
        serializer = RetentionUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        retention_choose(actor=request.user, child=child, transcript_days=serializer.validated_data["transcript_days"])
        return Response(_retention_json(child))


class ExportListView(ApiView):
    permission_classes = [IsParent]
    pagination_class = None  # a few rows a child: months, one archive's batch, recent exports
    serializer_class = ExportSerializer

    @extend_schema(responses={200: ExportSerializer(many=True)}, tags=["data"])
    def get(self, request, child_id: int):
        child = child_get_for_guardian(user=request.user, child_id=child_id)
        return Response([export_json(request, job) for job in exports_for_child(child=child)])

    @extend_schema(request=None, responses={202: ExportSerializer}, tags=["data"])
    def post(self, request, child_id: int):
        child = child_get_for_guardian(user=request.user, child_id=child_id)
        job = export_request(actor=request.user, child=child)
        return Response(export_json(request, job), status=status.HTTP_202_ACCEPTED)


class ExportDetailView(ApiView):
    permission_classes = [IsParent]
    serializer_class = ExportSerializer

    @extend_schema(responses={200: ExportSerializer}, tags=["data"])
    def get(self, request, export_id: int):
        job = export_get_for_guardian(actor=request.user, job_id=export_id)
        job.refresh_from_db(fields=["status", "progress", "finished_at", "expires_at", "size"])
        return Response(export_json(request, job))


class ExportDownloadView(ApiView):
    """The ZIP, for a guardian holding the link's signature (``token``) before it expires."""

    permission_classes = [IsParent]

    @extend_schema(
        parameters=[OpenApiParameter("token", str, required=True)],
        responses={(200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY)},
        tags=["data"],
    )
    def get(self, request, export_id: int):
        job = export_download(actor=request.user, job_id=export_id, token=request.query_params.get("token", ""))
        response = HttpResponse(bytes(job.payload or b""), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="happy-partner-export-{job.pk}.zip"'
        return response


class AccountEraseView(ApiView):
    """Delete the parent's account and every child they own, with all their data (docs/DATA_LIFECYCLE.md)."""

    permission_classes = [IsParent]
    serializer_class = EraseAccountSerializer

    @extend_schema(request=EraseAccountSerializer, responses={204: None}, tags=["data"])
    def post(self, request):
        serializer = EraseAccountSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        account_erase_confirm(actor=request.user, typed=serializer.validated_data["confirm"])
        account_erase(actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
