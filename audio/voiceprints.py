"""Voiceprints: who is speaking, from the sound of the voice, and a gate that only lets speech through.

The default embedding is normalised spectral statistics: the means of 29 MFCCs over the voiced frames
only, plus the pitch's median and spread, each standardised by a mean and spread fitted on generated
voices (``voiceprint_model.json``), then unit-normalised; two voices are compared by cosine. (Spreads
and deltas of the MFCCs were measured too and made it worse: they follow the words, not the voice.)
It is behind :class:`Embedder` so a neural speaker model can replace it (``EMBEDDER_VERSION`` is stored
with each voiceprint: a voiceprint of another embedder is never compared, it must be enrolled again).

The quality gate refuses what the old prototype accepted: silence, steady tones (one frequency,
little change from frame to frame), noise (a flat spectrum, no pitch) and too little voiced speech.
What this does and does not prove about real children's voices is in docs/AUDIO.md; its error rates
on generated voices are in bench/RESULTS.md.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from scipy.fft import dct

from audio.errors import no_speech
from audio.processing import RATE

FRAME = 400  # 25 ms
HOP = 160  # 10 ms
N_FFT = 512
N_MELS = 40
N_MFCC = 30
PITCH_MIN_HZ = 70.0
PITCH_MAX_HZ = 500.0
VOICING_THRESHOLD = 0.5  # normalised autocorrelation peak for a voiced frame
FLATNESS_NOISE = 0.35  # median spectral flatness above this: noise, not a voice
PEAK_BINS = 6
STEADY_VARIATION = 0.05  # median distance of voiced frames' spectra from their mean below this: a buzz
TONE_PEAKINESS = 0.8  # median share of a voiced frame's energy in its PEAK_BINS strongest bins: a tone
EMBEDDER_VERSION = "mfcc-stats-1"


@dataclass(frozen=True)
class Analysis:
    """What the gate measured, reported with a refusal and kept in the attempt log."""

    voiced_seconds: float
    flatness: float
    peakiness: float
    variation: float

    def speech_like(self, min_voiced_seconds: float) -> bool:
        return (
            self.voiced_seconds >= min_voiced_seconds
            and self.flatness < FLATNESS_NOISE
            and self.peakiness < TONE_PEAKINESS
            and self.variation >= STEADY_VARIATION
        )


class Embedder(Protocol):
    version: str
    dimensions: int

    def embed(self, samples: np.ndarray) -> np.ndarray: ...


def _frames(samples: np.ndarray) -> np.ndarray:
    if len(samples) < FRAME:
        samples = np.pad(samples, (0, FRAME - len(samples)))
    count = 1 + (len(samples) - FRAME) // HOP
    index = np.arange(FRAME)[None, :] + HOP * np.arange(count)[:, None]
    return samples[index] * np.hamming(FRAME).astype(np.float32)


def _mel_filterbank() -> np.ndarray:
    def mel(hz: np.ndarray) -> np.ndarray:
        return 2595.0 * np.log10(1.0 + hz / 700.0)

    def hz(m: np.ndarray) -> np.ndarray:
        return 700.0 * (10 ** (m / 2595.0) - 1.0)

    points = hz(np.linspace(mel(np.array(60.0)), mel(np.array(RATE / 2 - 400)), N_MELS + 2))
    bins = np.floor((N_FFT + 1) * points / RATE).astype(int)
    bank = np.zeros((N_MELS, N_FFT // 2 + 1), dtype=np.float32)
    for m in range(1, N_MELS + 1):
        left, centre, right = bins[m - 1], bins[m], bins[m + 1]
        for k in range(left, centre):
            bank[m - 1, k] = (k - left) / max(1, centre - left)
        for k in range(centre, right):
            bank[m - 1, k] = (right - k) / max(1, right - centre)
    return bank


_MEL = _mel_filterbank()


_WINDOW_AUTOCORR = np.fft.irfft(np.abs(np.fft.rfft(np.hamming(FRAME), n=2 * FRAME)) ** 2)[:FRAME]
_WINDOW_AUTOCORR = _WINDOW_AUTOCORR / _WINDOW_AUTOCORR[0]
_LOW_LAG, _HIGH_LAG = int(RATE / PITCH_MAX_HZ), int(RATE / PITCH_MIN_HZ)


def _pitch(frames: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per frame: the autocorrelation peak in the pitch range, corrected for the window (Boersma), as
    voicing strength, and its frequency. A maximum on the range's edge is no pitch (noise whose energy
    is all low has its largest autocorrelation at the shortest lag)."""
    centred = frames - frames.mean(axis=1, keepdims=True)
    autocorr = np.fft.irfft(np.abs(np.fft.rfft(centred, n=2 * FRAME, axis=1)) ** 2, axis=1)[:, :FRAME]
    normalised = autocorr / (autocorr[:, :1] + 1e-9) / _WINDOW_AUTOCORR[None, :]
    window = normalised[:, _LOW_LAG:_HIGH_LAG]
    lag = np.argmax(window, axis=1)
    strength = window[np.arange(len(window)), lag]
    strength[(lag == 0) | (lag == window.shape[1] - 1)] = 0.0
    return strength, RATE / (lag + _LOW_LAG)


def analyse(samples: np.ndarray) -> tuple[Analysis, np.ndarray, np.ndarray, np.ndarray]:
    """The gate's measures, and per frame: log-mel spectra, voicing mask, pitch."""
    frames = _frames(samples)
    power = np.abs(np.fft.rfft(frames, n=N_FFT, axis=1)) ** 2
    energy_db = 10 * np.log10(power.sum(axis=1) + 1e-10)
    loud = energy_db > max(float(np.percentile(energy_db, 95)) - 35, -50.0)
    logmel = np.log(power @ _MEL.T + 1e-10)
    strength, pitch = _pitch(frames)
    voiced = loud & (strength >= VOICING_THRESHOLD)
    flatness = np.exp(np.mean(np.log(power[:, 1:] + 1e-12), axis=1)) / (np.mean(power[:, 1:], axis=1) + 1e-12)
    # A tone (or a few) puts nearly all of a frame's energy in a handful of bins; a voice spreads it
    # over harmonics and formants.
    top = np.sort(power, axis=1)[:, -PEAK_BINS:].sum(axis=1) / (power.sum(axis=1) + 1e-12)
    # A steady buzz (a sawtooth, a held note) keeps one spectrum; speech moves between sounds.
    if voiced.sum() > 1:
        mel = power[voiced] @ _MEL.T
        mel = mel / (np.linalg.norm(mel, axis=1, keepdims=True) + 1e-12)
        centre = mel.mean(axis=0)
        variation = float(np.median(1 - mel @ (centre / (np.linalg.norm(centre) + 1e-12))))
    else:
        variation = 0.0
    analysis = Analysis(
        voiced_seconds=round(float(voiced.sum()) * HOP / RATE, 3),
        flatness=round(float(np.median(flatness[loud])) if loud.any() else 1.0, 4),
        peakiness=round(float(np.median(top[voiced])) if voiced.any() else 1.0, 4),
        variation=round(variation, 4),
    )
    return analysis, logmel, voiced, pitch


def speech_require(samples: np.ndarray, *, min_voiced_seconds: float) -> Analysis:
    """The analysis of ``samples`` if they are speech, else ``no_speech`` (400)."""
    analysis = analyse(samples)[0]
    if not analysis.speech_like(min_voiced_seconds):
        raise no_speech()
    return analysis


MODEL_PATH = Path(__file__).with_name("voiceprint_model.json")


@lru_cache(maxsize=1)
def _model() -> dict[str, Any]:
    """The standardisation (mean and spread of each statistic) and the calibrated threshold, fitted by
    ``bench/bench_voiceprint.py --fit`` on generated voices that the evaluation does not use."""
    return json.loads(MODEL_PATH.read_text())


def calibrated_threshold() -> float:
    return float(_model()["threshold"])


class SpectralStatsEmbedder:
    """Means of MFCCs 1–29 over the voiced frames (the voice's long-term spectral envelope: its
    formants) and the median and spread of its log pitch, standardised, unit length."""

    version = EMBEDDER_VERSION
    dimensions = N_MFCC - 1 + 2

    def statistics(self, samples: np.ndarray) -> np.ndarray:
        _analysis, logmel, voiced, pitch = analyse(samples)
        chosen = voiced if voiced.sum() >= 10 else np.ones(len(logmel), dtype=bool)
        mfcc = dct(logmel[chosen], type=2, axis=1, norm="ortho")[:, 1:N_MFCC]
        log_pitch = np.log(pitch[chosen])
        return np.concatenate([mfcc.mean(axis=0), [np.median(log_pitch), np.std(log_pitch)]])

    def embed(self, samples: np.ndarray) -> np.ndarray:
        model = _model()
        vector = (self.statistics(samples) - np.asarray(model["mean"])) / np.asarray(model["scale"])
        return (vector / (np.linalg.norm(vector) + 1e-9)).astype(np.float32)


def embedder() -> Embedder:
    return SpectralStatsEmbedder()


def voiceprint_score(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine similarity of two unit embeddings, in [-1, 1]."""
    return float(np.clip(np.dot(a, b), -1.0, 1.0))
