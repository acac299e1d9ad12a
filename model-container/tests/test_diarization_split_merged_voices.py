"""Splitting clusters that hold two voices (runtime/diarization/split_merged_voices.py) on the inputs of the API's
apps/api/src/diarization/split-merged-voices.spec.ts."""
from __future__ import annotations

from runtime.diarization.clustering import ClusteringOptions, ClusteringTree, cluster_embeddings
from runtime.diarization.speaker_count import estimate_speaker_count
from runtime.diarization.split_merged_voices import split_merged_voices
from synthetic_voices import synthetic_voices

# Voices 1 and 2 are near each other (cosine distance ~0.36 between their centres, as close as CAM++ puts two real
# voices), voice 0 is far from both.
CLOSE_PAIR = [[1, -1], [0, 1], [0, 1, 1.2]]


def _voices(plan, directions, jitter=0.25):
    return synthetic_voices(plan, seed=4242, jitter=jitter, directions=directions)


def _turns(speakers: int):
    return [(i // 6) % speakers for i in range(90)]


def _split_in_two(n: int):
    return lambda members: ClusteringTree(members, max(0.1, 0.1 * n / len(members))).labels_for_count(2)


def test_splits_a_cluster_that_holds_two_close_voices_and_keeps_the_far_voice_whole():
    plan = _turns(3)
    merged = [0 if s == 0 else 1 for s in plan]
    result = split_merged_voices(_voices(plan, CLOSE_PAIR), merged, _split_in_two(len(plan)), 8)
    assert len(set(result)) == 3
    # Every true voice maps to one label, and the labels differ: the split is the voices', not a random cut.
    labels_of = [{label for label, s in zip(result, plan) if s == voice} for voice in range(3)]
    assert [len(labels) for labels in labels_of] == [1, 1, 1]
    assert len(set.union(*labels_of)) == 3


def test_leaves_clusters_of_one_voice_each_alone():
    plan = _turns(3)
    assert split_merged_voices(_voices(plan, CLOSE_PAIR), plan, _split_in_two(len(plan)), 8) == plan


def test_leaves_one_voice_with_a_noisy_spread_in_one_piece():
    plan = _turns(2)
    labels = split_merged_voices(_voices(plan, [[1], [0, 1]], jitter=0.35), plan, _split_in_two(len(plan)), 8)
    assert len(set(labels)) == 2


def test_never_goes_past_max_speakers():
    plan = _turns(3)
    merged = [0 if s == 0 else 1 for s in plan]
    assert len(set(split_merged_voices(_voices(plan, CLOSE_PAIR), merged, _split_in_two(len(plan)), 2))) == 2


def test_cluster_embeddings_counts_three_voices_two_of_them_close_where_the_silhouette_alone_answers_two():
    embeddings = _voices(_turns(3), CLOSE_PAIR)
    assert estimate_speaker_count(embeddings, ClusteringTree(embeddings, 0.1).labels_for_count).count == 2
    assert len(set(cluster_embeddings(embeddings, ClusteringOptions()))) == 3
