"""The audio API: thin views over ``audio.services`` (docs/AUDIO.md)."""

from __future__ import annotations

import base64
import io

import soundfile
from django.conf import settings
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from accounts.api.permissions import IsParent, IsParentOrChildDevice
from audio.api.serializers import (
    AudioUploadSerializer,
    EnrolRequestSerializer,
    IdentifyResponseSerializer,
    ProcessRequestSerializer,
    ProcessResponseSerializer,
    SynthesizeRequestSerializer,
    TranscribeRequestSerializer,
    TranscriptSerializer,
    VerifyRequestSerializer,
    VerifyResponseSerializer,
    VoiceChatRequestSerializer,
    VoiceChatResponseSerializer,
    VoiceprintSerializer,
)
from audio.clips import upload_require_size
from audio.errors import audio_too_large
from audio.services import speech, voiceprints
from audio.services.speech import VoiceReply
from audio.text_to_speech import Speech, SpeechFormat, Voice
from conversations.api.serializers import chat_response
from happy_partner.api.views import ApiView


class AudioView(ApiView):
    """Takes multipart uploads; a body larger than its files may be is refused (413) before it is read,
    each file again by its size before it is decoded."""

    parser_classes = [MultiPartParser]
    max_files = 1

    def initial(self, request, *args, **kwargs):
        upload_require_size(request.META.get("CONTENT_LENGTH"), files=self.max_files)
        super().initial(request, *args, **kwargs)


def read_upload(upload) -> bytes:
    if upload.size > settings.AUDIO_MAX_BYTES:
        raise audio_too_large(settings.AUDIO_MAX_BYTES)
    return upload.read()


def speech_json(spoken: Speech | None) -> dict | None:
    if spoken is None:
        return None
    return {
        "content_type": spoken.content_type,
        "sample_rate": spoken.sample_rate,
        "duration": spoken.duration,
        "audio": base64.b64encode(spoken.audio).decode(),
    }


def transcript_json(transcript) -> dict:
    return {
        "text": transcript.text,
        "language": transcript.language,
        "duration": transcript.duration,
        "confidence": transcript.confidence,
        "engine": transcript.engine,
    }


def voice_reply_json(reply: VoiceReply) -> dict:
    return {
        **chat_response(reply.result),
        "transcript": transcript_json(reply.transcript),
        "speech": speech_json(reply.speech),
    }


class ProcessView(AudioView):
    """Preprocessing as the recognisers get it: each step in the order run, durations before and after."""

    permission_classes = [IsParentOrChildDevice]
    serializer_class = ProcessRequestSerializer

    @extend_schema(request=ProcessRequestSerializer, responses={200: ProcessResponseSerializer}, tags=["audio"])
    def post(self, request):
        serializer = ProcessRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        speech.speaker_language(actor=request.user, child_id=None, language=None)
        clip, processed = speech.audio_prepare(data=read_upload(data["audio"]), trim=data["trim"])
        body = {
            "format": clip.source_format.value,
            "channels": clip.channels,
            "sample_rate_before": clip.rate,
            "sample_rate": processed.rate,
            "duration_before": round(clip.duration, 3),
            "duration_after": round(processed.duration, 3),
            "steps": [
                {"step": s.name, "duration_before": s.duration_before, "duration_after": s.duration_after}
                for s in processed.steps
            ],
        }
        if data["include_audio"]:
            buffer = io.BytesIO()
            soundfile.write(buffer, processed.samples, processed.rate, format="WAV", subtype="PCM_16")
            body["audio"] = base64.b64encode(buffer.getvalue()).decode()
        return Response(body)


class TranscribeView(AudioView):
    permission_classes = [IsParentOrChildDevice]
    serializer_class = TranscribeRequestSerializer

    @extend_schema(request=TranscribeRequestSerializer, responses={200: TranscriptSerializer}, tags=["audio"])
    def post(self, request):
        serializer = TranscribeRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        transcript, _processed = speech.audio_transcribe(
            actor=request.user,
            data=read_upload(data["audio"]),
            child_id=data.get("child"),
            language=data.get("language"),
            phrases=data.get("phrases", ()),
        )
        return Response(transcript_json(transcript))


class SynthesizeView(ApiView):
    """The audio itself in the body (``Content-Type`` its format); its sample rate and duration in
    ``X-Audio-Sample-Rate`` and ``X-Audio-Duration``; ``X-Audio-Cache: hit`` when served from the cache."""

    permission_classes = [IsParentOrChildDevice]
    serializer_class = SynthesizeRequestSerializer

    @extend_schema(
        request=SynthesizeRequestSerializer,
        responses={
            (200, content_type): OpenApiResponse(OpenApiTypes.BINARY, description="The speech, in the format asked")
            for content_type in ("audio/wav", "audio/ogg", "audio/mpeg")
        },
        tags=["audio"],
    )
    def post(self, request):
        serializer = SynthesizeRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        spoken = speech.audio_synthesize(
            actor=request.user,
            text=data["text"],
            child_id=data.get("child"),
            language=data.get("language"),
            voice=Voice("", data["rate"], data["pitch"], data["volume"]),
            fmt=SpeechFormat(data["format"]),
        )
        response = HttpResponse(spoken.audio, content_type=spoken.content_type)
        response["X-Audio-Sample-Rate"] = str(spoken.sample_rate)
        response["X-Audio-Duration"] = f"{spoken.duration:.3f}"
        response["X-Audio-Cache"] = "hit" if spoken.cached else "miss"
        return response


class VoiceChatView(AudioView):
    """A spoken message in, the reply as text and speech out: the one pipeline, channel ``voice``."""

    permission_classes = [IsParentOrChildDevice]
    serializer_class = VoiceChatRequestSerializer

    @extend_schema(request=VoiceChatRequestSerializer, responses={200: VoiceChatResponseSerializer}, tags=["chat"])
    def post(self, request):
        serializer = VoiceChatRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        reply = speech.voice_message_send(
            actor=request.user,
            child_id=data.get("child"),
            data=read_upload(data["audio"]),
            session_id=data.get("session"),
        )
        return Response(voice_reply_json(reply))


def voiceprint_json(voiceprint) -> dict:
    return {
        "samples": voiceprint.samples,
        "speech_seconds": voiceprint.speech_seconds,
        "embedder": voiceprint.embedder,
        "keeps_recordings": voiceprint.keeps_recordings,
        "created_at": voiceprint.created_at,
    }


class VoiceprintView(AudioView):
    """Enrol (several samples; replaces an earlier voiceprint) or remove a child's voiceprint, or with
    no child in the path the parent's own."""

    permission_classes = [IsParent]
    serializer_class = EnrolRequestSerializer
    max_files = voiceprints.MAX_SAMPLES

    @extend_schema(request=EnrolRequestSerializer, responses={201: VoiceprintSerializer}, tags=["voice"])
    def post(self, request, child_id=None):
        serializer = EnrolRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        recordings = [(read_upload(f), f.content_type or "") for f in data["samples"]]
        voiceprint = voiceprints.voiceprint_enrol(
            actor=request.user, child_id=child_id, recordings=recordings, keep_recordings=data["keep_recordings"]
        )
        return Response(voiceprint_json(voiceprint), status=201)

    @extend_schema(request=None, responses={204: None}, tags=["voice"])
    def delete(self, request, child_id=None):
        voiceprints.voiceprint_delete(actor=request.user, child_id=child_id)
        return Response(status=204)


class VerifyView(AudioView):
    permission_classes = [IsParentOrChildDevice]
    serializer_class = VerifyRequestSerializer

    @extend_schema(request=VerifyRequestSerializer, responses={200: VerifyResponseSerializer}, tags=["voice"])
    def post(self, request):
        serializer = VerifyRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        result = voiceprints.voice_verify(actor=request.user, child_id=data["child"], data=read_upload(data["audio"]))
        return Response({"verified": result.verified, "score": result.score, "threshold": result.threshold})


class IdentifyView(AudioView):
    permission_classes = [IsParentOrChildDevice]
    serializer_class = AudioUploadSerializer

    @extend_schema(request=AudioUploadSerializer, responses={200: IdentifyResponseSerializer}, tags=["voice"])
    def post(self, request):
        serializer = AudioUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = voiceprints.voice_identify(actor=request.user, data=read_upload(serializer.validated_data["audio"]))
        return Response(
            {"child": result.child_id, "score": result.score, "speaker": result.speaker, "threshold": result.threshold}
        )
