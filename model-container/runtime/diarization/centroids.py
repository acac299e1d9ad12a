"""Cluster centres as the TypeScript code computes them (apps/api/src/diarization/agglomerative-clustering.ts
centroid/nearestCentroid, and speaker-count.ts widestCentreDistance): float32 sums one vector at a time, so a centre
that sits near a threshold falls on the same side in both."""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np


def centroid(vectors: Sequence[np.ndarray]) -> np.ndarray:
    """Normalised float32 mean direction; summed in float32 one vector at a time, as the TypeScript code does."""
    total = np.zeros(len(vectors[0]), dtype=np.float32)
    for vector in vectors:
        total += vector
    norm = math.sqrt(float(np.dot(total.astype(np.float64), total.astype(np.float64)))) or 1.0
    return (total.astype(np.float64) / norm).astype(np.float32)


def nearest_centroid(embedding: np.ndarray, centroids: Sequence[np.ndarray]) -> int:
    similarities = np.stack(centroids).astype(np.float64) @ np.asarray(embedding, dtype=np.float64)
    return int(np.argmax(similarities))  # the first best, as the TypeScript reduce keeps it
