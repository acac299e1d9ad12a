"""The second look after the silhouette count (apps/api/src/diarization/split-merged-voices.ts, step for step): a
cluster that itself splits into two far-apart halves holds two voices. The silhouette over all windows under-counts
when two voices are close to each other and far from the rest; inside the one cluster that dilution is gone. It could
split single voices, so cluster_embeddings() takes a split only when the spectral count agrees."""
from __future__ import annotations

from typing import Callable, List, Optional, Sequence, Tuple

import numpy as np

from runtime.diarization.speaker_count import cosine_distances, mean_silhouette, widest_centre_distance
from runtime.diarization.thresholds import LOCAL_SILHOUETTE, SPLIT_CENTRES

# Cuts a cluster's windows into two speaker-sized halves (labels 0/1), or answers one label when it cannot.
SplitInTwo = Callable[[np.ndarray], List[int]]


def split_merged_voices(embeddings: np.ndarray, labels: Sequence[int], split_in_two: SplitInTwo, max_speakers: int) -> List[int]:
    """`labels` (0 … k−1) with each cluster that splits well cut in two, the best split first, while fewer than
    `max_speakers`; a split-off half takes the next label."""
    result = np.asarray(labels).copy()
    count = int(result.max()) + 1
    while count < max_speakers:
        best: Optional[Tuple[float, np.ndarray, np.ndarray]] = None
        for cluster in range(count):
            members = np.flatnonzero(result == cluster)
            vectors = embeddings[members]
            halves = np.asarray(split_in_two(vectors))
            if len(set(halves.tolist())) != 2:
                continue
            score = mean_silhouette(cosine_distances(vectors), halves)
            apart = widest_centre_distance(vectors, halves)
            if score >= LOCAL_SILHOUETTE and apart >= SPLIT_CENTRES and (best is None or score > best[0]):
                best = (score, members, halves)
        if best is None:
            break
        _, members, halves = best
        result[members[halves == 1]] = count
        count += 1
    return result.tolist()
