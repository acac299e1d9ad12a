"""The spectral (NME-SC) speaker count (runtime/diarization/spectral_speaker_count.py) on the inputs of the API's
apps/api/src/diarization/spectral-speaker-count.spec.ts."""
from __future__ import annotations

import pytest

from runtime.diarization.spectral_speaker_count import spectral_speaker_count
from runtime.diarization.thresholds import MAX_SPECTRAL_WINDOWS
from synthetic_voices import synthetic_voices


def _voices(plan):
    return synthetic_voices(plan, seed=99, jitter=0.2)


def _turns(speakers: int, windows: int = 80):
    return [(i // 5) % speakers for i in range(windows)]


@pytest.mark.parametrize("speakers", [2, 3, 4, 5])
def test_finds_well_separated_voices(speakers):
    assert spectral_speaker_count(_voices(_turns(speakers)), 8) == speakers


def test_never_answers_more_than_max_speakers():
    assert spectral_speaker_count(_voices(_turns(5)), 3) <= 3


def test_counts_a_long_recording_from_a_sample_of_its_windows():
    assert spectral_speaker_count(_voices(_turns(3, 3 * MAX_SPECTRAL_WINDOWS)), 8) == 3


def test_too_few_windows_are_one_speaker():
    assert spectral_speaker_count(_voices([0, 1]), 8) == 1

