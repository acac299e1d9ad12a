"""Split long audio into <= 30 s chunks for batched decoding.

Whisper sees 30 s at a time. Instead of overlapping windows that must be stitched afterwards
(what the transformers pipeline does with chunk_length_s + stride: ~1.5x the audio decoded), each
cut is placed at the quietest moment of the last few seconds before the 30 s mark, so chunks do
not overlap, words are rarely cut, and every chunk can be decoded in the same batch.
"""
from __future__ import annotations

from typing import List, Tuple

import numpy as np

from runtime.protocol import SAMPLE_RATE

CHUNK_SECONDS = 30.0


def plan_chunks(
    audio: np.ndarray,
    max_seconds: float = CHUNK_SECONDS,
    search_seconds: float = 5.0,
    frame_seconds: float = 0.1,
    sample_rate: int = SAMPLE_RATE,
) -> List[Tuple[int, int]]:
    """[(start_sample, end_sample)] covering the audio without gaps or overlap."""
    total = len(audio)
    max_len = int(max_seconds * sample_rate)
    if total <= max_len:
        return [(0, total)]
    search_len = min(int(search_seconds * sample_rate), max_len // 2)
    frame = max(1, int(frame_seconds * sample_rate))
    hop = max(1, frame // 2)
    chunks: List[Tuple[int, int]] = []
    start = 0
    while total - start > max_len:
        window_start = start + max_len - search_len
        window = audio[window_start : start + max_len].astype(np.float64)
        cut = start + max_len
        if len(window) >= frame:
            # RMS of overlapping frames; cut in the middle of the quietest one.
            starts = np.arange(0, len(window) - frame + 1, hop)
            squares = np.concatenate(([0.0], np.cumsum(window**2)))
            energy = squares[starts + frame] - squares[starts]
            quietest = int(starts[int(np.argmin(energy))])
            cut = window_start + quietest + frame // 2
        chunks.append((start, cut))
        start = cut
    chunks.append((start, total))
    return chunks


def batched(items: list, size: int) -> List[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]
