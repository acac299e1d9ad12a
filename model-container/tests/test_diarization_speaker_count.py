"""The speaker count estimate (runtime/diarization/speaker_count.py) on the inputs of the API's
apps/api/src/diarization/speaker-count.spec.ts: voices in miniature along orthogonal directions."""
from __future__ import annotations

import numpy as np
import pytest

from runtime.diarization.clustering import ClusteringOptions, ClusteringTree, cluster_embeddings
from runtime.diarization.speaker_count import cosine_distances, estimate_speaker_count, mean_silhouette
from synthetic_voices import synthetic_voices


def _voices(plan, jitter=0.2):
    return synthetic_voices(plan, seed=777, jitter=jitter)


def _conversation(speakers: int):
    """`speakers` voices taking turns of 5 windows each, 60 windows in all."""
    return [(i // 5) % speakers for i in range(60)]


def _estimate(plan, **bounds):
    embeddings = _voices(plan)
    return estimate_speaker_count(embeddings, ClusteringTree(embeddings, 0.1).labels_for_count, **bounds)


@pytest.mark.parametrize("speakers", [2, 3, 4, 5])
def test_finds_well_separated_voices(speakers):
    result = _estimate(_conversation(speakers))
    assert result.count == speakers
    assert len(set(result.labels)) == speakers


def test_answers_one_speaker_when_every_split_leaves_the_halves_alike():
    result = _estimate(_conversation(1))
    assert result.count == 1
    assert set(result.labels) == {0}


def test_stays_inside_the_bounds_it_is_given():
    assert _estimate(_conversation(4), max_speakers=2).count == 2
    assert 2 <= _estimate(_conversation(1), min_speakers=2, max_speakers=4).count <= 4
    assert _estimate(_conversation(3), min_speakers=3, max_speakers=3).count == 3


def test_scores_the_candidate_counts_it_tried_the_chosen_one_best():
    scores = _estimate(_conversation(3), max_speakers=5).scores
    assert {2, 3} <= set(scores)
    assert max(scores) <= 5
    assert max(scores.values()) == scores[3]


def test_is_what_cluster_embeddings_does_when_no_count_is_given():
    embeddings = _voices(_conversation(3))
    assert len(set(cluster_embeddings(embeddings, ClusteringOptions()))) == 3
    assert len(set(cluster_embeddings(embeddings, ClusteringOptions(max_speakers=2)))) == 2


def test_one_allowed_speaker_is_one_label():
    embeddings = _voices(_conversation(3))
    assert set(cluster_embeddings(embeddings, ClusteringOptions(max_speakers=1))) == {0}


def test_mean_silhouette_is_near_1_for_tight_far_clusters_and_near_0_for_labels_that_ignore_the_voices():
    plan = _conversation(2)
    distance = cosine_distances(_voices(plan, jitter=0.05))
    assert mean_silhouette(distance, plan) > 0.8
    assert mean_silhouette(distance, [i % 2 for i in range(len(plan))]) < 0.1


def test_mean_silhouette_is_rousseeuws_definition_window_by_window():
    """The vectorised form against the definition written out per window (a lone window scores 0)."""
    rng = np.random.default_rng(5)
    vectors = rng.standard_normal((23, 8))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    labels = [0] * 9 + [1] * 8 + [2] * 5 + [3]  # cluster 3 holds one window
    distance = cosine_distances(vectors)
    total = 0.0
    for i, own in enumerate(labels):
        mates = [j for j, label in enumerate(labels) if label == own and j != i]
        if not mates:
            continue
        a = np.mean(distance[i, mates])
        b = min(np.mean([distance[i, j] for j, label in enumerate(labels) if label == c]) for c in set(labels) - {own})
        total += (b - a) / max(a, b)
    assert mean_silhouette(distance, labels) == pytest.approx(total / len(labels), abs=1e-12)
