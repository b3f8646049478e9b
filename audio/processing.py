"""Preprocessing: what every recogniser and the voiceprints hear, made alike.

Mono, 16 kHz, leading and trailing silence trimmed, long pauses shortened, loudness normalised. Each
step that runs is reported in the order it ran with the duration before and after it, so a client (and
``POST /api/v1/audio/process/``) can see what was done. Silence is told by frame energy against the
clip's own loud frames, so a quiet room and a loud one are trimmed alike. Pure numpy and scipy:
about a millisecond per second of audio (bench/bench_audio.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
from scipy.signal import resample_poly

from audio.clips import Clip
from audio.errors import silent_audio

RATE = 16_000
FRAME = 320  # 20 ms at 16 kHz
SILENCE_BELOW_PEAK_DB = 40.0  # a frame this far under the loudest frames is silence
EDGE_PAD_SECONDS = 0.1  # kept around speech when trimming, so first and last sounds are whole
LONG_PAUSE_SECONDS = 0.6  # a pause longer than this inside speech ...
SHORT_PAUSE_SECONDS = 0.3  # ... is shortened to this
TARGET_RMS_DBFS = -20.0  # speech level after normalisation
PEAK_LIMIT = 10 ** (-1 / 20)  # never louder than -1 dBFS


@dataclass(frozen=True)
class Step:
    name: str
    duration_before: float
    duration_after: float


@dataclass
class Processed:
    samples: np.ndarray  # mono float32 at RATE
    rate: int
    duration_before: float
    steps: list[Step] = field(default_factory=list)

    @property
    def duration(self) -> float:
        return len(self.samples) / self.rate


def clip_preprocess(clip: Clip, *, trim: bool = True) -> Processed:
    """``clip`` made ready for recognition. ``trim=False`` keeps the timing (pauses and edges)."""
    out = Processed(samples=clip.samples, rate=clip.rate, duration_before=clip.duration)
    if clip.channels > 1:
        _run(out, "mono", lambda: clip.mono())
    if clip.rate != RATE:
        _run(out, "resample", lambda: resample(out.samples, clip.rate))
    out.rate = RATE
    active = _active_frames(out.samples)
    if not active.any():
        raise silent_audio()
    if trim:
        _run(out, "trim_silence", lambda: _trim(out.samples, active))
        _run(out, "shorten_pauses", lambda: _shorten_pauses(out.samples))
    _run(out, "normalise_loudness", lambda: _normalise(out.samples))
    return out


def _run(out: Processed, name: str, step) -> None:
    before = len(out.samples) / out.rate
    out.samples = np.ascontiguousarray(step(), dtype=np.float32)
    if name == "resample":
        out.rate = RATE
    out.steps.append(Step(name, round(before, 3), round(len(out.samples) / out.rate, 3)))


def resample(samples: np.ndarray, source: int, target: int = RATE) -> np.ndarray:
    """Polyphase resampling (scipy) with its own anti-aliasing filter. The ratio is kept to small
    numbers (an odd rate such as 47,999 Hz would need a filter of a million taps; the approximation
    changes the speed by less than 0.1 %)."""
    ratio = Fraction(target, source).limit_denominator(1000)
    return resample_poly(samples, ratio.numerator, ratio.denominator).astype(np.float32)


def _frame_db(samples: np.ndarray) -> np.ndarray:
    """Energy of each 20 ms frame in dBFS (the tail shorter than a frame is its own frame)."""
    n = -(-len(samples) // FRAME)
    padded = np.zeros(n * FRAME, dtype=np.float32)
    padded[: len(samples)] = samples
    power = np.mean(padded.reshape(n, FRAME) ** 2, axis=1)
    return 10 * np.log10(power + 1e-12)


def _active_frames(samples: np.ndarray) -> np.ndarray:
    db = _frame_db(samples)
    if len(db) == 0:
        return np.zeros(0, dtype=bool)
    loud = float(np.percentile(db, 95))
    return (db > loud - SILENCE_BELOW_PEAK_DB) & (db > -60.0)


def _trim(samples: np.ndarray, active: np.ndarray) -> np.ndarray:
    indices = np.flatnonzero(active)
    pad = int(EDGE_PAD_SECONDS * RATE)
    start = max(0, indices[0] * FRAME - pad)
    end = min(len(samples), (indices[-1] + 1) * FRAME + pad)
    return samples[start:end]


def _shorten_pauses(samples: np.ndarray) -> np.ndarray:
    """A silent run longer than LONG_PAUSE inside speech keeps SHORT_PAUSE: its first and last halves."""
    active = _active_frames(samples)
    longest = int(LONG_PAUSE_SECONDS * RATE / FRAME)
    keep = int(SHORT_PAUSE_SECONDS * RATE / FRAME)
    head, tail = keep // 2, keep - keep // 2
    pieces: list[np.ndarray] = []
    position = 0
    index = 0
    while index < len(active):
        if active[index]:
            index += 1
            continue
        run_end = index
        while run_end < len(active) and not active[run_end]:
            run_end += 1
        if run_end - index > longest and index > 0 and run_end < len(active):
            pieces.append(samples[position : (index + head) * FRAME])
            position = (run_end - tail) * FRAME
        index = run_end
    pieces.append(samples[position:])
    return np.concatenate(pieces)


def _normalise(samples: np.ndarray) -> np.ndarray:
    """Speech frames brought to TARGET_RMS_DBFS, then limited so no sample passes PEAK_LIMIT."""
    active = _active_frames(samples)
    db = _frame_db(samples)
    speech_power = np.mean(10 ** (db[active] / 10)) if active.any() else np.mean(samples**2)
    rms = float(np.sqrt(speech_power))
    if rms <= 0:
        return samples
    gain = 10 ** (TARGET_RMS_DBFS / 20) / rms
    peak = float(np.max(np.abs(samples))) * gain
    if peak > PEAK_LIMIT:
        gain *= PEAK_LIMIT / peak
    return samples * gain
