"""Encryption at rest for what identifies a child by their voice (voiceprint embeddings, and enrolment
recordings when a parent chose to keep them): Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``).

The key is ``VOICEPRINT_KEY`` (a Fernet key) or, when unset, derived from ``SECRET_KEY``, so a copy of
the database alone reveals no voice. Rotating ``SECRET_KEY`` without setting ``VOICEPRINT_KEY`` makes
existing voiceprints unreadable: they are then treated as absent (enrol again), never as a match.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


@lru_cache(maxsize=4)
def _fernet(key: str, secret: str) -> Fernet:
    if key:
        return Fernet(key.encode())
    derived = hashlib.sha256(b"happy-partner voiceprint key\x00" + secret.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(derived))


def seal(data: bytes) -> bytes:
    return _fernet(settings.VOICEPRINT_KEY, settings.SECRET_KEY).encrypt(data)


def unseal(token: bytes) -> bytes | None:
    """The plaintext, or None when it was sealed with another key (or tampered with)."""
    try:
        return _fernet(settings.VOICEPRINT_KEY, settings.SECRET_KEY).decrypt(bytes(token))
    except InvalidToken:
        return None
