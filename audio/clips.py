"""Audio in: what a client sent, recognised by its bytes and decoded to samples, or refused clearly.

The format is told by the file's own header (its magic bytes), never by the name or the content type a
client claims, so a renamed file is read for what it is and anything else is ``unsupported_audio``
(415). libsndfile (``soundfile``, inside its wheel) decodes WAV, FLAC, OGG (Vorbis and Opus) and MP3;
ffmpeg decodes WebM/Opus, which browsers record, and whatever libsndfile refuses of the others. Size
and duration are bounded before and after decoding (413), damaged files are ``corrupt_audio`` and
all-zero or near-silent ones ``silent_audio`` (400). Hostile input ends in one of those errors: the
decoders run with bounded output, ffmpeg in a subprocess with a timeout.
"""

from __future__ import annotations

import io
import logging
import subprocess
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import soundfile
from django.conf import settings

from audio.errors import audio_too_large, audio_too_long, corrupt_audio, silent_audio, unsupported_audio

logger = logging.getLogger(__name__)

FFMPEG_SECONDS = 20  # a 60 s WebM decodes in well under a second; a stuck decoder is killed
DECODE_RATE = 16_000  # what ffmpeg is asked to produce: the rate everything downstream uses
SILENT_PEAK = 10 ** (-60 / 20)  # -60 dBFS: quieter than a microphone's own noise
RATE_LIMITS = (1_000, 768_000)  # outside these a header's sample rate is forged
DIRECT_RATES = (8_000, 48_000)  # read by libsndfile as is; other rates and many channels via ffmpeg
# ffmpeg's demuxer for each format, so a file is read as what its bytes said (never a playlist or a
# concat script), and only from the pipe.
_DEMUXERS = {"wav": "wav", "flac": "flac", "ogg": "ogg", "mp3": "mp3", "webm": "matroska"}


class AudioFormat(StrEnum):
    WAV = "wav"
    FLAC = "flac"
    OGG = "ogg"
    MP3 = "mp3"
    WEBM = "webm"


@dataclass(frozen=True)
class Clip:
    """Decoded audio: float32 samples in [-1, 1], shape (frames,) for mono or (frames, channels)."""

    samples: np.ndarray
    rate: int
    source_format: AudioFormat

    @property
    def channels(self) -> int:
        return 1 if self.samples.ndim == 1 else int(self.samples.shape[1])

    @property
    def duration(self) -> float:
        return len(self.samples) / self.rate if self.rate else 0.0

    def mono(self) -> np.ndarray:
        return self.samples if self.samples.ndim == 1 else self.samples.mean(axis=1, dtype=np.float32)


MULTIPART_OVERHEAD = 64 * 1024


def upload_require_size(content_length: str | None, *, files: int) -> None:
    """Refuse (413) a request body larger than ``files`` recordings may make, before it is read."""
    try:
        length = int(content_length or 0)
    except ValueError:
        length = 0
    if length > settings.AUDIO_MAX_BYTES * files + MULTIPART_OVERHEAD:
        raise audio_too_large(settings.AUDIO_MAX_BYTES)


def sniff_format(head: bytes) -> AudioFormat | None:
    """The container, from the first bytes of the file."""
    if head[:4] in (b"RIFF", b"RIFX", b"RF64") and head[8:12] == b"WAVE":
        return AudioFormat.WAV
    if head[:4] == b"fLaC":
        return AudioFormat.FLAC
    if head[:4] == b"OggS":
        return AudioFormat.OGG
    if head[:4] == b"\x1a\x45\xdf\xa3":  # EBML: WebM (and Matroska, which ffmpeg reads the same way)
        return AudioFormat.WEBM
    if head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[1] & 0x06):
        return AudioFormat.MP3  # an ID3 tag, or an MPEG audio frame sync with a layer set
    return None


def clip_decode(data: bytes) -> Clip:
    """``data`` decoded, within the size and duration limits, not silent."""
    limit = settings.AUDIO_MAX_BYTES
    if len(data) > limit:
        raise audio_too_large(limit)
    fmt = sniff_format(data[:16])
    if fmt is None:
        raise unsupported_audio()
    clip = _decode_ffmpeg(data, fmt) if fmt == AudioFormat.WEBM else _decode_soundfile(data, fmt)
    if clip.duration > settings.AUDIO_MAX_SECONDS:
        raise audio_too_long(settings.AUDIO_MAX_SECONDS)
    if len(clip.samples) == 0:
        raise corrupt_audio()
    if not np.all(np.isfinite(clip.samples)):  # a float WAV can carry NaN or infinities
        raise corrupt_audio()
    if float(np.max(np.abs(clip.samples))) < SILENT_PEAK:
        raise silent_audio()
    return clip


def _decode_soundfile(data: bytes, fmt: AudioFormat) -> Clip:
    """libsndfile for the common shapes (mono or stereo, 8–48 kHz), read no further than the limit;
    anything else it can open (many channels, odd or very high rates) goes to ffmpeg, which mixes it
    down to mono 16 kHz as it decodes, so a small file cannot become a huge array."""
    try:
        with soundfile.SoundFile(io.BytesIO(data)) as sound:
            rate, channels = int(sound.samplerate), int(sound.channels)
            if not RATE_LIMITS[0] <= rate <= RATE_LIMITS[1] or channels <= 0:
                raise corrupt_audio()  # no recording has such a rate: a forged header
            direct = DIRECT_RATES[0] <= rate <= DIRECT_RATES[1] and channels <= 2
            if direct:
                most = settings.AUDIO_MAX_SECONDS * rate + 1
                if most < sound.frames < 2**62:  # libsndfile's "unknown" is a huge number
                    raise audio_too_long(settings.AUDIO_MAX_SECONDS)
                samples = sound.read(frames=most, dtype="float32", always_2d=False)
    except (soundfile.LibsndfileError, RuntimeError, ValueError, TypeError, EOFError, OverflowError, MemoryError):
        # libsndfile has no decoder for some valid files (e.g. an MP3 with an odd layer): ffmpeg then.
        return _decode_ffmpeg(data, fmt)
    if not direct:
        return _decode_ffmpeg(data, fmt)
    return Clip(np.ascontiguousarray(samples, dtype=np.float32), rate, fmt)


def _decode_ffmpeg(data: bytes, fmt: AudioFormat) -> Clip:
    """ffmpeg reads stdin and writes mono 16 kHz float32 to stdout, at most the duration limit plus one
    second (so "too long" can still be told), in a subprocess that cannot outlive its timeout."""
    seconds = settings.AUDIO_MAX_SECONDS + 1
    command = [
        settings.FFMPEG_BINARY, "-nostdin", "-hide_banner", "-loglevel", "error",
        "-protocol_whitelist", "pipe", "-f", _DEMUXERS[fmt.value], "-i", "pipe:0",
        "-t", str(seconds), "-vn", "-ac", "1", "-ar", str(DECODE_RATE),
        "-f", "f32le", "pipe:1",
    ]  # fmt: skip
    try:
        done = subprocess.run(command, input=data, capture_output=True, timeout=FFMPEG_SECONDS, check=False)  # noqa: S603 - a fixed argv, no shell; the audio goes in on stdin
    except FileNotFoundError:
        logger.error("ffmpeg is not installed: %s audio cannot be decoded (scripts/install-system-deps.sh)", fmt)
        raise unsupported_audio() from None
    except subprocess.TimeoutExpired:
        logger.warning("ffmpeg timed out decoding %s audio", fmt)
        raise corrupt_audio() from None
    usable = len(done.stdout) - len(done.stdout) % 4
    if done.returncode != 0 or usable == 0:
        raise corrupt_audio()
    samples = np.frombuffer(done.stdout[:usable], dtype="<f4").astype(np.float32)
    return Clip(samples, DECODE_RATE, fmt)
