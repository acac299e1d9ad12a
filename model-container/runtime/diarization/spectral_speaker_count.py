"""A second, independent opinion on the speaker count (apps/api/src/diarization/spectral-speaker-count.ts, step for
step): NME-SC (Park et al. 2019, "Auto-tuning spectral clustering for speaker diarization using normalized maximum
eigengap"). Each window keeps its p most similar windows (binarised affinity, symmetrised), and the count is where the
Laplacian's eigenvalues jump most; p itself is chosen where that jump, relative to the largest eigenvalue, is widest
for the pruning done. It errs on other conversations than the silhouette count, so it confirms splits
(split_merged_voices.py). O(p_max · n³): above MAX_SPECTRAL_WINDOWS an evenly spaced sample is counted."""
from __future__ import annotations

import math

import numpy as np

from runtime.diarization.thresholds import MAX_SPECTRAL_WINDOWS


def spectral_speaker_count(embeddings: np.ndarray, max_speakers: int) -> int:
    stride = max(1.0, len(embeddings) / MAX_SPECTRAL_WINDOWS)
    picked = [math.floor(i * stride) for i in range(min(len(embeddings), MAX_SPECTRAL_WINDOWS))]
    sample = np.asarray(embeddings, dtype=np.float64)[picked]
    n = len(sample)
    if n < 3:
        return 1
    similarity = sample @ sample.T
    # Most similar first; a stable sort keeps the lower index first on ties, as JavaScript's sort does.
    nearest = np.argsort(-similarity, axis=1, kind="stable")
    rows = np.arange(n)[:, None]
    best_ratio, best_count = math.inf, 1
    for p in range(2, max(2, n // 4) + 1):
        kept = np.zeros((n, n))
        kept[rows, nearest[:, :p]] = 1.0
        affinity = (kept + kept.T) / 2
        laplacian = np.diag(affinity.sum(axis=1)) - affinity
        # Ascending, as symmetric-eigenvalues.ts returns them (its QL iteration agrees with eigvalsh to rounding).
        eigenvalues = np.linalg.eigvalsh(laplacian)
        gaps = np.diff(eigenvalues[: min(max_speakers, n - 1) + 1])
        widest = float(gaps.max())
        with np.errstate(divide="ignore"):
            ratio = float(np.float64(p) / (np.float64(widest) / (eigenvalues[n - 1] + 1e-10)))
        if ratio < best_ratio:
            best_ratio, best_count = ratio, int(np.argmax(gaps)) + 1
    return best_count
