"""What can go wrong with a piece of audio, said once: each is an :class:`ApplicationError` the API maps
to its status (415 unsupported, 413 too large or too long, 400 unreadable or without speech, 503 an
engine that failed) and the chat socket sends as an ``error`` event."""

from __future__ import annotations

from django.utils.translation import gettext as _

from happy_partner.errors import ApplicationError, Failure

FORMATS_TEXT = "WAV, FLAC, OGG/Opus, MP3, WebM/Opus"


def unsupported_audio() -> ApplicationError:
    return ApplicationError(
        code="unsupported_audio",
        message=_("This is not a sound file we can read. Send %(formats)s.") % {"formats": FORMATS_TEXT},
        kind=Failure.UNSUPPORTED,
    )


def audio_too_large(limit_bytes: int) -> ApplicationError:
    return ApplicationError(
        code="audio_too_large",
        message=_("This recording is too large (at most %(megabytes)d MB).") % {"megabytes": limit_bytes // 2**20},
        kind=Failure.TOO_LARGE,
    )


def audio_too_long(limit_seconds: int) -> ApplicationError:
    return ApplicationError(
        code="audio_too_long",
        message=_("This recording is too long (at most %(seconds)d seconds).") % {"seconds": limit_seconds},
        kind=Failure.TOO_LARGE,
    )


def corrupt_audio() -> ApplicationError:
    return ApplicationError(
        code="corrupt_audio", message=_("This recording is damaged and cannot be played. Please record it again.")
    )


def silent_audio() -> ApplicationError:
    return ApplicationError(code="silent_audio", message=_("This recording is silent. Please speak and try again."))


def no_speech() -> ApplicationError:
    return ApplicationError(
        code="no_speech", message=_("No one is speaking in this recording. Please speak clearly and try again.")
    )


def speech_unrecognised() -> ApplicationError:
    return ApplicationError(
        code="speech_unrecognised", message=_("I could not make out the words. Please say it again, or type it.")
    )


def language_unsupported(language: str) -> ApplicationError:
    return ApplicationError(
        code="language_unsupported",
        message=_("Speech recognition is not set up for this language (%(language)s) here. Please type instead.")
        % {"language": language},
    )


def engine_failed(what: str) -> ApplicationError:
    """A speech engine that failed or timed out: try again, or type; never a made-up transcript."""
    return ApplicationError(
        code=f"{what}_unavailable",
        message=_("Voice is not available for a moment. Please try again, or type instead."),
        kind=Failure.UNAVAILABLE,
        retry_after=10,
    )
