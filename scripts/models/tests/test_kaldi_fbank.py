"""The numpy Kaldi fbank against Kaldi's formulas written out frame by frame (feature-window.cc, mel-computations.cc,
compute-fbank defaults as 3D-Speaker uses them), on real speech. torchaudio, the usual reference, is not in the venv."""
from __future__ import annotations

import math

import numpy as np
import pytest

from models_real_fixtures import ROOT  # noqa: F401 (puts the repo on sys.path)
from scripts.models.pipeline import DEFAULT_CACHE
from scripts.models.speaker.kaldi_fbank import fbank, remove_band_means
from scripts.models.speaker.reference_sample import ensure_reference_sample

RATE, FRAME, SHIFT, FFT, BANDS = 16000, 400, 160, 512, 80


def _mel(hz: float) -> float:
    return 1127.0 * math.log(1.0 + hz / 700.0)


def _kaldi_bank_weights() -> list[list[float]]:
    """MelBanks::MelBanks: bins 0..FFT/2-1 only, weights rising/falling linearly in mel between strict edges."""
    low, high = _mel(20.0), _mel(RATE / 2)
    delta = (high - low) / (BANDS + 1)
    weights = []
    for b in range(BANDS):
        left, centre, right = low + b * delta, low + (b + 1) * delta, low + (b + 2) * delta
        row = []
        for i in range(FFT // 2):
            mel = _mel(RATE / FFT * i)
            if left < mel < right:
                row.append((mel - left) / (centre - left) if mel <= centre else (right - mel) / (right - centre))
            else:
                row.append(0.0)
        weights.append(row)
    return weights


def _kaldi_fbank_frame_by_frame(samples: np.ndarray) -> np.ndarray:
    weights = np.array(_kaldi_bank_weights())
    povey = np.array([math.pow(0.5 - 0.5 * math.cos(2 * math.pi * n / (FRAME - 1)), 0.85) for n in range(FRAME)])
    dft = np.exp(-2j * np.pi * np.outer(np.arange(FFT // 2), np.arange(FFT)) / FFT)
    wave = samples.astype(np.float64) * 32768.0
    out = []
    for start in range(0, len(wave) - FRAME + 1, SHIFT):
        window = wave[start:start + FRAME].copy()
        window -= window.mean()
        for n in range(FRAME - 1, 0, -1):
            window[n] -= 0.97 * window[n - 1]
        window[0] -= 0.97 * window[0]
        padded = np.zeros(FFT)
        padded[:FRAME] = window * povey
        power = np.abs(dft @ padded) ** 2
        out.append([math.log(max(float(w @ power), float(np.finfo(np.float32).eps))) for w in weights])
    return np.array(out)


@pytest.fixture(scope="module")
def speech() -> np.ndarray:
    import soundfile

    audio, rate = soundfile.read(ensure_reference_sample(DEFAULT_CACHE) / "sample.wav", dtype="float32")
    assert rate == RATE
    return audio[int(7.0 * RATE): int(9.0 * RATE) + 123]  # a speaker's turn, not a whole number of frames


def test_matches_kaldis_formulas_frame_by_frame_on_real_speech(speech):
    expected = _kaldi_fbank_frame_by_frame(speech)
    actual = fbank(speech)
    assert actual.shape == expected.shape == (1 + (len(speech) - FRAME) // SHIFT, BANDS)
    assert actual.dtype == np.float32
    assert np.max(np.abs(actual - expected)) < 1e-4


def test_fewer_samples_than_one_frame_give_one_zero_padded_frame(speech):
    short = speech[:250]
    assert fbank(short).shape == (1, BANDS)
    assert np.array_equal(fbank(short), fbank(np.pad(short, (0, FRAME - 250))))


def test_band_means_are_removed_over_the_stretch_which_makes_the_features_gain_invariant(speech):
    normalised = remove_band_means(fbank(speech))
    assert np.allclose(normalised.mean(axis=0), 0.0, atol=1e-4)
    assert np.allclose(remove_band_means(fbank(speech * 0.1)), normalised, atol=1e-3)
