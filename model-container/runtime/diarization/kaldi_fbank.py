"""The speaker encoder's front end (the same numbers as scripts/models/speaker/kaldi_fbank.py, which the export is
tested with, and as the API's TypeScript port): Kaldi's log-mel filterbank as 3D-Speaker feeds CAM++. 80 bands, 25 ms
frames every 10 ms with snip-edges, DC removal, pre-emphasis 0.97 (Kaldi's first-sample rule), povey window,
512-point FFT, power, triangular mel banks 20 Hz..Nyquist on 1127·ln(1 + f/700), natural log floored at float32's
epsilon, samples ×32768 (Kaldi reads 16-bit integers). Band means are removed separately, over a whole pass: with them
gone the features no longer depend on the recording's loudness, so no gain rule is needed."""
from __future__ import annotations

import functools

import numpy as np

SAMPLE_RATE = 16_000
FBANK_BANDS = 80
FRAME = 400
SHIFT = 160
FFT = 512
LOW_HZ = 20.0
PREEMPHASIS = 0.97
INT16_SCALE = 32768.0


def _kaldi_mel(hz: np.ndarray) -> np.ndarray:
    return 1127.0 * np.log(1.0 + np.asarray(hz, dtype=np.float64) / 700.0)


@functools.lru_cache(maxsize=1)
def mel_banks() -> np.ndarray:
    """[FFT/2 + 1, bands] triangular weights, equal-spaced in mel; the Nyquist bin gets 0 as in Kaldi."""
    low, high = _kaldi_mel(LOW_HZ), _kaldi_mel(SAMPLE_RATE / 2)
    edges = low + (high - low) / (FBANK_BANDS + 1) * np.arange(FBANK_BANDS + 2)
    bins = _kaldi_mel(SAMPLE_RATE / FFT * np.arange(FFT // 2))
    banks = np.zeros((FBANK_BANDS, FFT // 2 + 1))
    for band in range(FBANK_BANDS):
        rising = (bins - edges[band]) / (edges[band + 1] - edges[band])
        falling = (edges[band + 2] - bins) / (edges[band + 2] - edges[band + 1])
        banks[band, : FFT // 2] = np.maximum(0.0, np.minimum(rising, falling))
    return np.ascontiguousarray(banks.T)


@functools.lru_cache(maxsize=1)
def _povey() -> np.ndarray:
    return np.power(0.5 - 0.5 * np.cos(2 * np.pi * np.arange(FRAME) / (FRAME - 1)), 0.85)


def frame_count(samples: int) -> int:
    """Frames with snip-edges; fewer than one frame's samples still give one (zero-padded) frame."""
    return 1 + (max(samples, FRAME) - FRAME) // SHIFT


def fbank(samples: np.ndarray) -> np.ndarray:
    """[frames, 80] float32 log-mel of 16 kHz mono samples in [-1, 1]; computed in float64."""
    x = np.asarray(samples, dtype=np.float64) * INT16_SCALE
    if x.size < FRAME:
        x = np.pad(x, (0, FRAME - x.size))
    frames = x[np.arange(FRAME)[None, :] + SHIFT * np.arange(frame_count(x.size))[:, None]]
    frames = frames - frames.mean(axis=1, keepdims=True)
    first = frames[:, :1] * (1.0 - PREEMPHASIS)  # sample 0 is pre-emphasised against itself
    frames = np.concatenate([first, frames[:, 1:] - PREEMPHASIS * frames[:, :-1]], axis=1) * _povey()
    spectrum = np.fft.rfft(frames, n=FFT, axis=1)
    power = spectrum.real**2 + spectrum.imag**2
    return np.log(np.maximum(power @ mel_banks(), np.finfo(np.float32).eps)).astype(np.float32)


def remove_band_means(features: np.ndarray) -> np.ndarray:
    """Each band's mean over the stretch subtracted (3D-Speaker's mean normalisation)."""
    return (features - features.mean(axis=0, keepdims=True)).astype(np.float32)
