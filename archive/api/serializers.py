"""Input and output serializers of the data-lifecycle API (docs/DATA_LIFECYCLE.md)."""

from __future__ import annotations

from happy_partner.api import serializers


class ArchiveSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    month = serializers.DateField()
    message_count = serializers.IntegerField()
    first_at = serializers.DateTimeField()
    last_at = serializers.DateTimeField()
    raw_bytes = serializers.IntegerField()
    compressed_bytes = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class ArchivedSafetySerializer(serializers.Serializer):
    action = serializers.CharField()
    severity = serializers.CharField()
    categories = serializers.ListField(child=serializers.CharField())


class ArchivedMessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    session = serializers.IntegerField()
    role = serializers.CharField()
    agent = serializers.CharField(allow_blank=True)
    text = serializers.CharField(allow_blank=True)
    channel = serializers.CharField()
    safety = ArchivedSafetySerializer()
    emotion = serializers.CharField(allow_blank=True)
    subject = serializers.CharField(allow_blank=True)
    refusal = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()


class RestoredSerializer(serializers.Serializer):
    restored = serializers.IntegerField(help_text="Messages put back into the history.")


class RetentionSerializer(serializers.Serializer):
    transcript_days = serializers.IntegerField(allow_null=True, help_text="null: the service's default.")
    default_days = serializers.IntegerField(read_only=True)
    choices = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    legal_hold = serializers.BooleanField(read_only=True)


class RetentionUpdateSerializer(serializers.Serializer):
    transcript_days = serializers.IntegerField(allow_null=True, min_value=1, max_value=3650)


class ExportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    child = serializers.IntegerField(source="child_id")
    status = serializers.CharField()
    progress = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True)
    size = serializers.IntegerField()
    download_url = serializers.CharField(allow_null=True, help_text="Signed; works until expires_at.")


class EraseAccountSerializer(serializers.Serializer):
    confirm = serializers.CharField(help_text="The account's e-mail address, typed again.")
