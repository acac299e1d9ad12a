"""Names clusters after known speakers (apps/api/src/diarization/known-speakers.ts): each known voice (mean of its
reference clip's embeddings) goes to the most similar cluster, best pair first, one cluster per name, and only above
KNOWN_SPEAKER_MIN_SIMILARITY. Clusters nobody claims keep letter labels, as OpenAI does for speakers outside
known_speaker_names."""
from __future__ import annotations

from typing import Dict, List, Mapping, NamedTuple, Sequence

import numpy as np

from runtime.diarization.centroids import centroid
from runtime.diarization.thresholds import KNOWN_SPEAKER_MIN_SIMILARITY



class KnownVoice(NamedTuple):
    name: str
    embeddings: np.ndarray  # [windows, 192] of the reference clip


def name_clusters(cluster_embeddings: Mapping[int, Sequence[np.ndarray]], voices: Sequence[KnownVoice]) -> Dict[int, str]:
    clusters = [(cluster, centroid(members)) for cluster, members in cluster_embeddings.items()]
    known = [(voice.name, centroid(voice.embeddings)) for voice in voices if len(voice.embeddings) > 0]
    pairs: List[tuple] = []
    for name, voice_centre in known:
        for cluster, cluster_centre in clusters:
            similarity = float(np.dot(voice_centre.astype(np.float64), cluster_centre.astype(np.float64)))
            pairs.append((similarity, name, cluster))
    pairs.sort(key=lambda pair: -pair[0])  # stable, as Array.prototype.sort
    names: Dict[int, str] = {}
    used = set()
    for similarity, name, cluster in pairs:
        if similarity < KNOWN_SPEAKER_MIN_SIMILARITY:
            break
        if cluster in names or name in used:
            continue
        names[cluster] = name
        used.add(name)
    return names
