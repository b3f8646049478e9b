"""Input and output serializers of the audio API (docs/AUDIO.md)."""

from __future__ import annotations

from audio.text_to_speech import DEFAULT_PITCH, DEFAULT_RATE, DEFAULT_VOLUME, SpeechFormat
from conversations.api.serializers import ChatResponseSerializer
from happy_partner.api import serializers

SPEECH_LANGUAGES = [("zh", "Chinese"), ("zh-hans", "Chinese"), ("en", "English")]


def IdField(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=2**62, **kwargs)


class AudioUploadSerializer(serializers.Serializer):
    audio = serializers.FileField(help_text="WAV, FLAC, OGG/Opus, MP3 or WebM/Opus; at most 10 MB and 60 s.")


class ProcessRequestSerializer(AudioUploadSerializer):
    trim = serializers.BooleanField(default=True, help_text="Trim silence and shorten long pauses.")
    include_audio = serializers.BooleanField(default=False, help_text="Return the result as a base64 WAV.")


class StepSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=["mono", "resample", "trim_silence", "shorten_pauses", "normalise_loudness"])
    duration_before = serializers.FloatField()
    duration_after = serializers.FloatField()


class ProcessResponseSerializer(serializers.Serializer):
    format = serializers.CharField()
    channels = serializers.IntegerField()
    sample_rate_before = serializers.IntegerField()
    sample_rate = serializers.IntegerField()
    duration_before = serializers.FloatField()
    duration_after = serializers.FloatField()
    steps = StepSerializer(many=True)
    audio = serializers.CharField(required=False, help_text="base64 WAV (16 kHz mono), with include_audio.")


class TranscribeRequestSerializer(AudioUploadSerializer):
    child = IdField(required=False, help_text="A parent's child (their language).")
    language = serializers.ChoiceField(choices=SPEECH_LANGUAGES, required=False)
    phrases = serializers.ListField(
        child=serializers.CharField(max_length=200),
        required=False,
        max_length=200,
        help_text="Grammar mode: the utterance is one of these phrases (exact with pocketsphinx).",
    )


class TranscriptSerializer(serializers.Serializer):
    text = serializers.CharField()
    language = serializers.CharField()
    duration = serializers.FloatField()
    confidence = serializers.FloatField(allow_null=True)
    engine = serializers.CharField()


class SynthesizeRequestSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)
    child = IdField(required=False)
    language = serializers.ChoiceField(choices=SPEECH_LANGUAGES, required=False)
    rate = serializers.IntegerField(default=DEFAULT_RATE, min_value=80, max_value=400, help_text="Words per minute.")
    pitch = serializers.IntegerField(default=DEFAULT_PITCH, min_value=0, max_value=99)
    volume = serializers.IntegerField(default=DEFAULT_VOLUME, min_value=0, max_value=200)
    format = serializers.ChoiceField(choices=[f.value for f in SpeechFormat], default=SpeechFormat.WAV.value)


class SpeechSerializer(serializers.Serializer):
    content_type = serializers.CharField()
    sample_rate = serializers.IntegerField()
    duration = serializers.FloatField()
    audio = serializers.CharField(help_text="base64")


class VoiceChatRequestSerializer(AudioUploadSerializer):
    child = IdField(required=False, help_text="Parent mode: the child to speak as.")
    session = IdField(required=False)


class VoiceChatResponseSerializer(ChatResponseSerializer):
    transcript = TranscriptSerializer()
    speech = SpeechSerializer(allow_null=True, help_text="The reply spoken; null if speech failed.")


class EnrolRequestSerializer(serializers.Serializer):
    samples = serializers.ListField(child=serializers.FileField(), min_length=3, max_length=10)
    keep_recordings = serializers.BooleanField(default=False, help_text="Keep the recordings (encrypted).")


class VoiceprintSerializer(serializers.Serializer):
    samples = serializers.IntegerField()
    speech_seconds = serializers.FloatField()
    embedder = serializers.CharField()
    keeps_recordings = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class VerifyRequestSerializer(AudioUploadSerializer):
    child = IdField()


class VerifyResponseSerializer(serializers.Serializer):
    verified = serializers.BooleanField()
    score = serializers.FloatField(allow_null=True)
    threshold = serializers.FloatField()


class IdentifyResponseSerializer(serializers.Serializer):
    child = serializers.IntegerField(allow_null=True)
    score = serializers.FloatField(allow_null=True)
    speaker = serializers.ChoiceField(choices=["child", "guardian", "unknown"])
    threshold = serializers.FloatField()
