"""Diarization error on pyannote.audio's own two-speaker sample against its reference RTTM, with the 0.25 s collar
(pyannote.metrics' collar=0.5): as the container runs it (its own energy speech regions) and with the reference's
speech regions (embedding + clustering alone, bench/diarization.ts's "oracle" setting). The issue's bar is 20 %."""
from __future__ import annotations

import numpy as np
import pytest

from diarization_score import Labelled, diarization_error_rate, parse_rttm, speech_union
from diarization_support import decode, encoder, speaker_assets
from runtime.diarization.diarize import DiarizationOptions, diarize
from runtime.diarization.spans import TimeSpan
from runtime.diarization.speech_regions import energy_speech_regions

MAX_DER = 0.20
COLLAR = 0.25


@pytest.fixture(scope="module")
def sample():
    assets = speaker_assets()
    return decode(assets.sample_wav), parse_rttm(assets.sample_rttm.read_text())


def _score(reference, turns) -> float:
    return diarization_error_rate(reference, [Labelled(*turn) for turn in turns], COLLAR)


@pytest.mark.parametrize("options", [DiarizationOptions(speakers=2), DiarizationOptions()], ids=["count-given", "count-estimated"])
def test_der_as_the_container_runs_it(sample, options):
    audio, reference = sample
    turns = diarize(audio, energy_speech_regions(audio), encoder(), options)
    assert {turn.speaker for turn in turns} == {"A", "B"}
    assert _score(reference, turns) <= MAX_DER


def test_der_on_the_reference_speech_regions(sample):
    audio, reference = sample
    regions = [TimeSpan(*r) for r in speech_union(reference)]
    assert _score(reference, diarize(audio, regions, encoder(), DiarizationOptions(speakers=2))) <= MAX_DER


def test_energy_regions_cover_the_reference_speech(sample):
    audio, reference = sample
    regions = energy_speech_regions(audio)
    grid = np.arange(0, len(audio) / 16000, 0.01)
    found = np.zeros(grid.size, dtype=bool)
    truth = np.zeros(grid.size, dtype=bool)
    for spans, mask in ((regions, found), (speech_union(reference), truth)):
        for start, end in spans:
            mask[(grid >= start) & (grid < end)] = True
    assert (found & truth).sum() / truth.sum() > 0.9  # speech found
    assert (found & ~truth).sum() / found.sum() < 0.1  # little else


# ---- the scorer itself, pinned to pyannote.metrics' figures (as libs/test-support's diarization-score.spec.ts) ----

HYPOTHESIS = [
    Labelled(6.69, 7.12, "A"), Labelled(7.55, 9.75, "B"), Labelled(9.75, 11.35, "C"), Labelled(11.35, 14.15, "B"),
    Labelled(14.15, 17.92, "A"), Labelled(18.05, 19.45, "A"), Labelled(19.45, 21.49, "B"), Labelled(21.78, 27.58, "A"),
    Labelled(27.58, 30, "D"),
]  # fmt: skip


def test_the_scorer_agrees_with_pyannote_metrics(sample):
    _, reference = sample
    assert diarization_error_rate(reference, HYPOTHESIS) == pytest.approx(0.3454, abs=0.005)
    assert diarization_error_rate(reference, HYPOTHESIS, 0.25) == pytest.approx(0.1475, abs=0.005)
    renamed = [Labelled(s.start, s.end, "X" if s.speaker == "speaker90" else "Y") for s in reference]
    assert diarization_error_rate(reference, renamed) == 0
    assert diarization_error_rate(reference, []) == 1
