"""The container's speaker count gives the API's answer label for label: cluster_embeddings without a count, and its
parts, against what the TypeScript code computed on synthetic voice sets that each take one path of the estimate
(fixtures/count-parity.json, written by fixtures/generate-count-parity.ts)."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from runtime.diarization.clustering import ClusteringOptions, ClusteringTree, cluster_embeddings
from runtime.diarization.speaker_count import estimate_speaker_count
from runtime.diarization.spectral_speaker_count import spectral_speaker_count
from runtime.diarization.thresholds import DEFAULT_MAX_SPEAKERS, ESTIMATE_MIN_CLUSTER_SHARE

CASES = json.loads((Path(__file__).parent / "fixtures" / "count-parity.json").read_text())["cases"]


def _inputs(name: str):
    case = CASES[name]
    bounds = {"min_speakers": case["bounds"].get("minSpeakers"), "max_speakers": case["bounds"].get("maxSpeakers")}
    return case, np.asarray(case["embeddings"], dtype=np.float32), bounds


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_estimate_scores_and_labels_match(name):
    case, embeddings, bounds = _inputs(name)
    ours = estimate_speaker_count(embeddings, ClusteringTree(embeddings, ESTIMATE_MIN_CLUSTER_SHARE).labels_for_count, **bounds)
    theirs = case["estimate"]
    assert (ours.count, ours.labels) == (theirs["count"], theirs["labels"])
    assert sorted(ours.scores) == sorted(int(k) for k in theirs["scores"])
    for count, score in theirs["scores"].items():
        assert ours.scores[int(count)] == pytest.approx(score, abs=1e-9)


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_spectral_count_matches(name):
    case, embeddings, _ = _inputs(name)
    # Under the default maximum, not the case's bounds: see the generator for why.
    assert spectral_speaker_count(embeddings, min(DEFAULT_MAX_SPEAKERS, len(embeddings))) == case["spectral_count"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_clustering_without_a_count_matches(name):
    case, embeddings, bounds = _inputs(name)
    assert cluster_embeddings(embeddings, ClusteringOptions(**bounds)) == case["labels"]


def test_the_cases_reach_every_path():
    """The fixture is only worth its name while it takes each way out of the estimate."""
    estimated = {name: case["estimate"]["count"] for name, case in CASES.items()}
    final = {name: len(set(case["labels"])) for name, case in CASES.items()}
    assert any(count == 1 for count in estimated.values())  # one speaker by the centres rule
    assert any(final[name] > estimated[name] for name in CASES)  # a split, confirmed by the spectral count
    assert any(len(case["embeddings"]) > 160 for case in CASES.values())  # the spectral count samples
