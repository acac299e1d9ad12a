"""Kaldi's log-mel filterbank (compute-fbank defaults as 3D-Speaker feeds CAM++), in numpy.

80 bands, 25 ms frames every 10 ms with snip-edges, DC removal, pre-emphasis 0.97, povey window, 512-point FFT, power
spectrum, triangular mel banks from 20 Hz to Nyquist on Kaldi's 1127·ln(1 + f/700) scale, natural log floored at
float32's epsilon, no dither. Samples in [-1, 1] are scaled ×32768 first: Kaldi reads 16-bit integers, and the log
floor makes the scale matter for near-silent frames. Band means are NOT removed here (see remove_band_means): the
caller decides over which stretch they are taken.
"""
from __future__ import annotations

import numpy as np

RATE = 16000
BANDS = 80
FRAME = 400  # 25 ms
SHIFT = 160  # 10 ms
FFT = 512
LOW_HZ = 20.0
PREEMPHASIS = 0.97
INT16_SCALE = 32768.0


def kaldi_mel(hz: np.ndarray | float) -> np.ndarray:
    return 1127.0 * np.log(1.0 + np.asarray(hz, dtype=np.float64) / 700.0)


def mel_banks() -> np.ndarray:
    """(BANDS, FFT/2 + 1) triangular weights, equal-spaced on the mel scale; the Nyquist bin gets 0 as in Kaldi."""
    edges = kaldi_mel(LOW_HZ) + (kaldi_mel(RATE / 2) - kaldi_mel(LOW_HZ)) / (BANDS + 1) * np.arange(BANDS + 2)
    bins = kaldi_mel(RATE / FFT * np.arange(FFT // 2))
    banks = np.zeros((BANDS, FFT // 2 + 1))
    for b in range(BANDS):
        rising = (bins - edges[b]) / (edges[b + 1] - edges[b])
        falling = (edges[b + 2] - bins) / (edges[b + 2] - edges[b + 1])
        banks[b, : FFT // 2] = np.maximum(0.0, np.minimum(rising, falling))
    return banks


BANKS = mel_banks()
POVEY = np.power(0.5 - 0.5 * np.cos(2 * np.pi * np.arange(FRAME) / (FRAME - 1)), 0.85)


def frame_count(samples: int) -> int:
    """Frames Kaldi makes with snip-edges; fewer than one frame's samples still give one (zero-padded) frame."""
    return 1 + (max(samples, FRAME) - FRAME) // SHIFT


def fbank(samples: np.ndarray) -> np.ndarray:
    """(frames, 80) float32 log-mel of 16 kHz mono samples in [-1, 1]."""
    x = np.asarray(samples, dtype=np.float64) * INT16_SCALE
    if len(x) < FRAME:
        x = np.pad(x, (0, FRAME - len(x)))
    frames = x[np.arange(FRAME)[None, :] + SHIFT * np.arange(frame_count(len(x)))[:, None]]
    frames = frames - frames.mean(axis=1, keepdims=True)
    # Kaldi's first-sample rule: sample 0 is pre-emphasised against itself, x0 - 0.97·x0.
    first = frames[:, :1] * (1.0 - PREEMPHASIS)
    frames = np.concatenate([first, frames[:, 1:] - PREEMPHASIS * frames[:, :-1]], axis=1) * POVEY
    power = np.abs(np.fft.rfft(frames, n=FFT)) ** 2
    return np.log(np.maximum(power @ BANKS.T, np.finfo(np.float32).eps)).astype(np.float32)


def remove_band_means(features: np.ndarray) -> np.ndarray:
    """Each band's mean over the stretch subtracted (3D-Speaker's mean_nor): this also makes the features gain-invariant."""
    return (features - features.mean(axis=0, keepdims=True)).astype(np.float32)
