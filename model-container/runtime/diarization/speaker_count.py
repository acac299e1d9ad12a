"""How many people speak, when the caller does not say (apps/api/src/diarization/speaker-count.ts, step for step):
each candidate count k in [min, max] is cut from the one clustering tree, and the count whose clusters are the most
compact and apart (mean silhouette, cosine distance) wins. A fixed distance cut over-counts or merges depending on the
recording (one voice's windows drift apart over a minute); the silhouette compares each window's own cluster with its
nearest other one, so it needs no global distance. One speaker has no silhouette: it is chosen when the best split's
centres all lie closer than SINGLE_SPEAKER_CENTRES."""
from __future__ import annotations

from typing import Callable, Dict, List, NamedTuple, Optional, Sequence

import numpy as np

from runtime.diarization.centroids import centroid
from runtime.diarization.thresholds import DEFAULT_MAX_SPEAKERS, SINGLE_SPEAKER_CENTRES

LabelsForCount = Callable[[int], List[int]]


class CountEstimate(NamedTuple):
    count: int
    labels: List[int]
    # Mean silhouette per candidate count that was tried: for tests and logs.
    scores: Dict[int, float]


def estimate_speaker_count(
    embeddings: np.ndarray,
    labels_for_count: LabelsForCount,
    min_speakers: Optional[int] = None,
    max_speakers: Optional[int] = None,
) -> CountEstimate:
    n = len(embeddings)
    minimum = max(1, min_speakers if min_speakers is not None else 1)
    maximum = max(minimum, min(max_speakers if max_speakers is not None else DEFAULT_MAX_SPEAKERS, n))
    distance = cosine_distances(embeddings)
    scores: Dict[int, float] = {}
    best: Optional[CountEstimate] = None
    best_score = -np.inf
    for k in range(max(2, minimum), maximum + 1):
        labels = labels_for_count(k)
        found = len(set(labels))
        # Several k can cut to the same count (small clusters do not count as speakers): score each count once.
        if found < 2 or found in scores:
            continue
        score = mean_silhouette(distance, labels)
        scores[found] = score
        if best is None or score > best_score:
            best, best_score = CountEstimate(found, labels, scores), score
    if best is None or (minimum <= 1 and widest_centre_distance(embeddings, best.labels) < SINGLE_SPEAKER_CENTRES):
        return CountEstimate(1, [0] * n, scores)
    return CountEstimate(best.count, best.labels, scores)


def mean_silhouette(distance: np.ndarray, labels: Sequence[int]) -> float:
    """Mean over windows of (b − a) / max(a, b): a the mean distance to its own cluster, b to the nearest other one.
    `distance` is the n×n cosine distance matrix with a zero diagonal (cosine_distances)."""
    labels = np.asarray(labels)
    n = len(labels)
    clusters = int(labels.max()) + 1
    members = np.zeros((n, clusters))
    members[np.arange(n), labels] = 1.0
    size = members.sum(axis=0)
    sums = distance @ members  # sums[i, c]: distance from window i to all of cluster c (the zero diagonal adds nothing)
    own_size = size[labels]
    # A window alone in its cluster scores 0 (Rousseeuw's convention).
    counted = own_size > 1
    with np.errstate(divide="ignore", invalid="ignore"):
        a = sums[np.arange(n), labels] / (own_size - 1)
        to_others = np.where(size > 0, sums / size, np.inf)
    to_others[np.arange(n), labels] = np.inf
    b = to_others.min(axis=1)
    denominator = np.maximum(a, b)
    counted &= np.isfinite(b) & (denominator > 0)
    silhouettes = np.zeros(n)
    silhouettes[counted] = (b[counted] - a[counted]) / denominator[counted]
    return float(silhouettes.sum() / n)


def cosine_distances(embeddings: np.ndarray) -> np.ndarray:
    """1 − dot product in float64, with an exact zero diagonal as the TypeScript loop leaves it."""
    vectors = np.asarray(embeddings, dtype=np.float64)
    distance = 1.0 - vectors @ vectors.T
    np.fill_diagonal(distance, 0.0)
    return distance


def widest_centre_distance(embeddings: np.ndarray, labels: Sequence[int]) -> float:
    """Cosine distance between the two furthest cluster centres (with two clusters: between their centres)."""
    labels = np.asarray(labels)
    centres = [centroid(embeddings[labels == label]) for label in dict.fromkeys(labels.tolist())]
    return float(cosine_distances(np.stack(centres)).max())
