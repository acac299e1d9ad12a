"""Average-linkage agglomerative clustering of L2-normalised embeddings by cosine distance (1 − dot product), cut so
that the number of *speaker-sized* clusters is right (apps/api/src/diarization/agglomerative-clustering.ts). A plain
cut at k clusters fails on real audio: a few odd windows (overlap, laughter, a cough) stay apart until the very top of
the tree and use up the speaker budget, so two real speakers get merged instead. Here clusters smaller than
`min_cluster_share` of the windows do not count as speakers; the cut is the deepest one with the wanted count, and the
leftovers join the nearest speaker's centroid.
 - `speakers` given: the deepest cut with exactly that many speaker-sized clusters (or the nearest count);
 - otherwise: the cut at `threshold`, moved until the count is inside [min_speakers, max_speakers].
O(n²) memory and O(n³) time (vectorised per merge) on n windows: callers cap n (diarize.py)."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Dict, List, NamedTuple, Optional, Sequence

import numpy as np

from runtime.diarization.thresholds import MIN_CLUSTER_SHARE


@dataclass(frozen=True)
class ClusteringOptions:
    threshold: float
    speakers: Optional[int] = None
    min_speakers: Optional[int] = None
    max_speakers: Optional[int] = None
    # A share of the windows (thresholds.py), and never fewer than 2 windows.
    min_cluster_share: float = MIN_CLUSTER_SHARE


class Merge(NamedTuple):
    a: int  # the surviving cluster (the lower index)
    b: int
    distance: float


def cluster_embeddings(embeddings: np.ndarray, options: ClusteringOptions) -> List[int]:
    n = len(embeddings)
    if n == 0:
        return []
    merges = build_tree(embeddings)
    min_size = max(2, math.ceil(options.min_cluster_share * n))
    counts = speaker_counts_after_each_merge(n, merges, min_size)
    cut = choose_cut(counts, merges, options)
    roots = replay(n, merges[:cut])
    clusters: Dict[int, List[int]] = {}  # insertion order = first appearance, as the TypeScript Map
    for i, root in enumerate(roots):
        clusters.setdefault(root, []).append(i)
    return absorb_outliers(embeddings, list(clusters.values()), min_size)


def build_tree(embeddings: np.ndarray) -> List[Merge]:
    n = len(embeddings)
    vectors = np.asarray(embeddings, dtype=np.float64)
    distance = 1.0 - vectors @ vectors.T
    # Only pairs i < j of live clusters compete; argmin's first hit is the TypeScript scan's (lowest a, then lowest b).
    candidates = np.triu(distance, k=1)
    candidates[np.tril_indices(n)] = np.inf
    size = np.ones(n)
    alive = np.ones(n, dtype=bool)
    merges: List[Merge] = []
    for _ in range(n - 1):
        flat = int(np.argmin(candidates))
        a, b = divmod(flat, n)
        best = float(candidates[a, b])
        # Average linkage (UPGMA): the merged cluster's distance to k is the size-weighted mean of a's and b's.
        others = alive.copy()
        others[[a, b]] = False
        merged = (distance[a] * size[a] + distance[b] * size[b]) / (size[a] + size[b])
        distance[a, others] = merged[others]
        distance[others, a] = merged[others]
        size[a] += size[b]
        alive[b] = False
        candidates[b, :] = np.inf
        candidates[:, b] = np.inf
        upper = others.copy()
        upper[: a + 1] = False
        lower = others.copy()
        lower[a:] = False
        candidates[a, upper] = merged[upper]
        candidates[lower, a] = merged[lower]
        merges.append(Merge(a, b, best))
    return merges


def speaker_counts_after_each_merge(n: int, merges: Sequence[Merge], min_size: int) -> List[int]:
    """counts[t]: speaker-sized clusters after the first t merges (counts[0]: none merged yet)."""
    size = [1] * n
    big = n if min_size <= 1 else 0
    counts = [big]
    for a, b, _ in merges:
        big -= (1 if size[a] >= min_size else 0) + (1 if size[b] >= min_size else 0)
        size[a] += size[b]
        big += 1 if size[a] >= min_size else 0
        counts.append(big)
    return counts


def choose_cut(counts: Sequence[int], merges: Sequence[Merge], options: ClusteringOptions) -> int:
    def deepest_with(count: int) -> int:
        for t in range(len(counts) - 1, -1, -1):
            if counts[t] == count:
                return t
        return -1

    wanted = options.speakers
    if wanted is not None:
        # The nearest reachable count, preferring more speakers over fewer when equally near.
        reachable = [c for c in dict.fromkeys(counts) if c > 0]
        target = reachable[0] if reachable else 1
        for c in reachable:
            d, best_d = abs(c - wanted), abs(target - wanted)
            if d < best_d or (d == best_d and c > target):
                target = c
        return max(0, deepest_with(target))
    cut = next((t for t, merge in enumerate(merges) if merge.distance >= options.threshold), len(merges))
    maximum = options.max_speakers if options.max_speakers is not None else math.inf
    minimum = options.min_speakers if options.min_speakers is not None else 1
    while cut < len(merges) and counts[cut] > maximum:
        cut += 1
    while cut > 0 and counts[cut] < minimum:
        cut -= 1
    return cut


def replay(n: int, merges: Sequence[Merge]) -> List[int]:
    parent = list(range(n))

    def find(i: int) -> int:
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:
            parent[i], i = root, parent[i]
        return root

    for a, b, _ in merges:
        parent[find(b)] = find(a)
    return [find(i) for i in range(n)]


def absorb_outliers(embeddings: np.ndarray, clusters: List[List[int]], min_size: int) -> List[int]:
    """Windows of clusters smaller than `min_size` join the speaker-sized cluster whose centroid is most similar."""
    big = [c for c in clusters if len(c) >= min_size]
    kept = big if big else [max(clusters, key=len)]
    centroids = [centroid(embeddings[c]) for c in kept]
    labels = [-1] * len(embeddings)
    for k, members in enumerate(kept):
        for i in members:
            labels[i] = k
    return [label if label >= 0 else nearest_centroid(embeddings[i], centroids) for i, label in enumerate(labels)]


def nearest_centroid(embedding: np.ndarray, centroids: Sequence[np.ndarray]) -> int:
    similarities = np.stack(centroids).astype(np.float64) @ np.asarray(embedding, dtype=np.float64)
    return int(np.argmax(similarities))  # the first best, as the TypeScript reduce keeps it


def centroid(vectors: Sequence[np.ndarray]) -> np.ndarray:
    """Normalised float32 mean direction; summed in float32 one vector at a time, as the TypeScript code does."""
    total = np.zeros(len(vectors[0]), dtype=np.float32)
    for vector in vectors:
        total += vector
    norm = math.sqrt(float(np.dot(total.astype(np.float64), total.astype(np.float64)))) or 1.0
    return (total.astype(np.float64) / norm).astype(np.float32)
