"""The container's diarization gives the API's answer: every stage against what the TypeScript code
(apps/api/src/diarization) computed on pyannote's two-speaker sample with the same ONNX encoder
(fixtures/diarization-parity.json, written by fixtures/generate-diarization-parity.ts)."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from diarization_support import decode, encoder, speaker_assets
from runtime.diarization.assign_speakers import assign_speakers
from runtime.diarization.diarize import DiarizationOptions, diarize, embed_reference_voice, embed_speech
from runtime.diarization.kaldi_fbank import FBANK_BANDS, fbank
from runtime.diarization.spans import SpeakerTurn, TimeSpan, js_round
from runtime.diarization.speech_regions import energy_speech_regions, split_long_regions

FIXTURE = json.loads((Path(__file__).parent / "fixtures" / "diarization-parity.json").read_text())
HOP_SECONDS = 0.01
TOLERANCE_LOG_MEL = 1e-4


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def samples() -> np.ndarray:
    assets = speaker_assets()
    # The fixture was made from these very files: otherwise nothing below means anything.
    assert _sha256(assets.sample_wav) == FIXTURE["sample_wav_sha256"]
    assert _sha256(assets.encoder) == FIXTURE["encoder_sha256"]
    return decode(assets.sample_wav)


def _regions():
    return [TimeSpan(r["start"], r["end"]) for r in FIXTURE["regions"]]


def _cosine(a, b) -> float:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_fbank_frames_match_the_typescript_front_end(samples):
    first, last = (js_round(s * 16000) for s in FIXTURE["fbank"]["seconds"])
    ours = fbank(samples[first:last])
    theirs = np.asarray(FIXTURE["fbank"]["values"], dtype=np.float64).reshape(-1, FBANK_BANDS)
    assert ours.shape == theirs.shape == (FIXTURE["fbank"]["frames"], FBANK_BANDS)
    # Log values: the fixture keeps 7 significant digits (measured largest difference 5e-6).
    assert float(np.max(np.abs(ours - theirs))) < TOLERANCE_LOG_MEL


def test_windows_and_embeddings_match(samples):
    speech = embed_speech(samples, _regions(), encoder())
    assert [[w.start, w.end, w.region] for w in speech.windows] == FIXTURE["windows"]
    cosines = [_cosine(speech.embeddings[i], theirs) for i, theirs in zip(FIXTURE["embedding_indices"], FIXTURE["embeddings"])]
    assert min(cosines) > 0.99999


def test_reference_voice_embedding_matches(samples):
    reference = FIXTURE["reference"]
    first, last = (js_round(s * 16000) for s in reference["seconds"])
    voice = embed_reference_voice(reference["name"], samples[first:last], encoder())
    assert _cosine(voice.embeddings[0], reference["first_embedding"]) > 0.99999


def _options(case: str, samples) -> DiarizationOptions:
    if case == "known_alice":
        reference = FIXTURE["reference"]
        first, last = (js_round(s * 16000) for s in reference["seconds"])
        return DiarizationOptions(known_voices=[embed_reference_voice(reference["name"], samples[first:last], encoder())])
    return {
        "speakers_2": DiarizationOptions(speakers=2),
        "estimated": DiarizationOptions(),
        "max_speakers_1": DiarizationOptions(max_speakers=1),
        "min_speakers_3": DiarizationOptions(min_speakers=3),
    }[case]


@pytest.mark.parametrize("case", sorted(FIXTURE["turns"]))
def test_speaker_turns_match(case, samples):
    ours = diarize(samples, _regions(), encoder(), _options(case, samples))
    theirs = FIXTURE["turns"][case]
    assert [t.speaker for t in ours] == [t["speaker"] for t in theirs]
    for mine, other in zip(ours, theirs):
        assert abs(mine.start - other["start"]) <= HOP_SECONDS and abs(mine.end - other["end"]) <= HOP_SECONDS


def test_the_container_path_energy_regions_and_estimated_count_match(samples):
    """What the container always runs (no VAD regions given) is the API's stage without VAD regions."""
    regions = energy_speech_regions(samples)
    assert [[r.start, r.end] for r in regions] == [[r["start"], r["end"]] for r in FIXTURE["energy"]["regions"]]
    ours = diarize(samples, split_long_regions(regions), encoder(), DiarizationOptions())
    theirs = FIXTURE["energy"]["turns"]
    assert [t.speaker for t in ours] == [t["speaker"] for t in theirs]
    for mine, other in zip(ours, theirs):
        assert abs(mine.start - other["start"]) <= HOP_SECONDS and abs(mine.end - other["end"]) <= HOP_SECONDS


def test_segments_and_words_get_the_same_speakers_and_splits():
    case = FIXTURE["assign"]
    turns = [SpeakerTurn(t["start"], t["end"], t["speaker"]) for t in FIXTURE["turns"][case["turns"]]]
    ours = assign_speakers(case["transcript"], turns)
    theirs = case["result"]
    assert len(ours["segments"]) == len(theirs["segments"]) > len(case["transcript"]["segments"])  # some were split
    for mine, other in zip(ours["segments"], theirs["segments"]):
        # The TypeScript result keeps a leading space on split texts; the container's texts carry none.
        assert {**mine, "text": mine["text"].strip()} == {**other, "text": other["text"].strip()}
    assert ours["words"] == theirs["words"]
