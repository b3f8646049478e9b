"""The transcript-read log: every time a grown-up reads a child's conversations (staff in the admin,
a parent on the dashboard or through the API, an export being built), who, which child, which chat,
how and when. A device reading its own child's chats is the child, and is not logged."""

from __future__ import annotations

from accounts.principals import Actor, ChildPrincipal
from conversations.models import TranscriptAccess


def transcript_read_record(*, reader: Actor, child_id: int, via: str, session_id: int | None = None) -> None:
    if isinstance(reader, ChildPrincipal) or not getattr(reader, "is_authenticated", False):
        return
    TranscriptAccess.objects.create(reader=reader, child_id=child_id, session_id=session_id, via=via)
