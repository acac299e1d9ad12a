"""The speaker encoder's front end (apps/api/src/diarization/mel-frontend.ts): a power mel spectrogram computed
exactly as Resemblyzer computes it with librosa 0.10+ (`melspectrogram(sr=16000, n_fft=400, hop_length=160,
n_mels=40)`): periodic Hann window, frames centred with zero padding, |FFT|², Slaney mel scale and Slaney area
normalisation. Not a log mel: the encoder was trained on power values. Computed in float64, returned as float32."""
from __future__ import annotations

import functools
import math

import numpy as np

SAMPLE_RATE = 16_000
N_FFT = 400
HOP = 160
MEL_BANDS = 40
BINS = N_FFT // 2 + 1
_MIN_LOG_HZ = 1000.0
_SPACING = 200.0 / 3.0
_LOG_STEP = math.log(6.4) / 27.0


def _hz_to_mel(hz: float) -> float:
    # Slaney: linear below 1 kHz, logarithmic above.
    if hz < _MIN_LOG_HZ:
        return hz / _SPACING
    return _MIN_LOG_HZ / _SPACING + math.log(hz / _MIN_LOG_HZ) / _LOG_STEP


def _mel_to_hz(mel: float) -> float:
    min_log_mel = _MIN_LOG_HZ / _SPACING
    if mel < min_log_mel:
        return mel * _SPACING
    return _MIN_LOG_HZ * math.exp(_LOG_STEP * (mel - min_log_mel))


@functools.lru_cache(maxsize=1)
def mel_filter_bank() -> np.ndarray:
    """librosa.filters.mel(sr, n_fft, n_mels, htk=False, norm='slaney'): [bins, bands], float64."""
    fft_freqs = np.arange(BINS, dtype=np.float64) * SAMPLE_RATE / N_FFT
    min_mel, max_mel = _hz_to_mel(0.0), _hz_to_mel(SAMPLE_RATE / 2)
    points = [_mel_to_hz(min_mel + (max_mel - min_mel) * i / (MEL_BANDS + 1)) for i in range(MEL_BANDS + 2)]
    bank = np.zeros((MEL_BANDS, BINS))
    for band in range(MEL_BANDS):
        lower, centre, upper = points[band], points[band + 1], points[band + 2]
        rising = (fft_freqs - lower) / (centre - lower)
        falling = (upper - fft_freqs) / (upper - centre)
        bank[band] = np.maximum(0.0, np.minimum(rising, falling)) * (2.0 / (upper - lower))
    return np.ascontiguousarray(bank.T)


@functools.lru_cache(maxsize=1)
def _window() -> np.ndarray:
    return 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)


def mel_spectrogram(samples: np.ndarray) -> np.ndarray:
    """[1 + len // HOP, MEL_BANDS] float32 power mel frames of 16 kHz mono `samples`."""
    samples = np.asarray(samples, dtype=np.float32)
    frames = 1 + samples.size // HOP
    half = N_FFT // 2
    padded = np.zeros(half + samples.size + half, dtype=np.float64)
    padded[half : half + samples.size] = samples
    framed = np.lib.stride_tricks.as_strided(
        padded, shape=(frames, N_FFT), strides=(HOP * padded.strides[0], padded.strides[0]), writeable=False
    )
    spectrum = np.fft.rfft(framed * _window(), axis=1)
    power = spectrum.real**2 + spectrum.imag**2
    return (power @ mel_filter_bank()).astype(np.float32)
