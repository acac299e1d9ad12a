"""Word timestamps from cross-attention, in numpy (no torch), so CI can test it.

The method is the one the Whisper paper's authors use: some decoder cross-attention heads
("alignment heads") look at the audio frame being spoken while each token is produced. Their
weights, normalised per frame and smoothed, form a token x frame similarity matrix; a dynamic
time warping path through it gives each token its first frame (20 ms per encoder frame).
"""
from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Callable, List, Sequence, Tuple

import numpy as np

FRAME_SECONDS = 0.02  # one encoder position = 2 mel frames of 10 ms
_OPENING = set("\"'“¿([{-«")
_PUNCTUATION = set(string.punctuation) | set("“”‘’«»¿¡…、。，！？")


def median_filter(values: np.ndarray, width: int) -> np.ndarray:
    """Median over a sliding window of odd `width` along the last axis, edges reflected."""
    if width <= 1 or values.shape[-1] <= width // 2:
        return values
    pad = width // 2
    padded = np.pad(values, [(0, 0)] * (values.ndim - 1) + [(pad, pad)], mode="reflect")
    windows = np.lib.stride_tricks.sliding_window_view(padded, width, axis=-1)
    return np.median(windows, axis=-1).astype(values.dtype, copy=False)


def dtw_path(cost: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Cheapest monotonic path from (0, 0) to (rows-1, cols-1) through `cost` (rows x cols).

    Row by row, the recurrence c[j] = m[j] + min(a[j], c[j-1]) (a = best of the cell above and
    the diagonal) unrolls to S[j] + min_{k<=j}(a[k] - S[k-1]) with S the prefix sums of m, so each
    row is a cumulative minimum instead of a Python loop over 1500 frames."""
    rows, cols = cost.shape
    total = np.full((rows + 1, cols + 1), np.inf)
    total[0, 0] = 0.0
    for i in range(1, rows + 1):
        m = cost[i - 1].astype(np.float64)
        above = np.minimum(total[i - 1, :-1], total[i - 1, 1:])  # a[j] for j = 1..cols
        prefix = np.concatenate(([0.0], np.cumsum(m)))
        total[i, 1:] = prefix[1:] + np.minimum.accumulate(above - prefix[:-1])
    diagonal, up, left = total[:-1, :-1], total[:-1, 1:], total[1:, :-1]
    # 0 = diagonal, 1 = up, 2 = left; ties resolve to "left" like the reference implementation.
    trace = np.where((diagonal < up) & (diagonal < left), 0, np.where((up < diagonal) & (up < left), 1, 2))
    text_indices: List[int] = []
    time_indices: List[int] = []
    i, j = rows, cols
    while i > 0 or j > 0:
        text_indices.append(i - 1)
        time_indices.append(j - 1)
        step = 2 if i == 0 else 1 if j == 0 else trace[i - 1, j - 1]
        if step == 0:
            i, j = i - 1, j - 1
        elif step == 1:
            i -= 1
        else:
            j -= 1
    return np.array(text_indices[::-1]), np.array(time_indices[::-1])


def token_start_times(attention: np.ndarray, filter_width: int = 7) -> np.ndarray:
    """attention: (heads, rows, frames), softmaxed over frames and cropped to the audio.
    Returns, per row, the time (s) at which the path first reaches it."""
    weights = attention.astype(np.float32)
    mean = weights.mean(axis=-2, keepdims=True)
    std = weights.std(axis=-2, keepdims=True) + 1e-6
    weights = (weights - mean) / std
    smoothed = np.stack([median_filter(head, filter_width) for head in weights])
    matrix = smoothed.mean(axis=0)
    text_indices, time_indices = dtw_path(-matrix)
    jumps = np.diff(np.concatenate(([-1], text_indices))) > 0
    return time_indices[jumps] * FRAME_SECONDS


@dataclass
class TimedWord:
    word: str
    start: float
    end: float
    probability: float
    first_token: int
    last_token: int


def _units(token_ids: Sequence[int], decode: Callable[[List[int]], str]) -> List[Tuple[str, int, int]]:
    """Group tokens into units that decode to whole characters (a multi-byte character can span
    tokens; decoding a lone piece gives U+FFFD)."""
    units, pending, first = [], [], 0
    for index, token in enumerate(token_ids):
        if not pending:
            first = index
        pending.append(token)
        text = decode(pending)
        if "\ufffd" not in text or len(pending) >= 4:
            units.append((text, first, index))
            pending = []
    if pending:
        units.append((decode(pending), first, len(token_ids) - 1))
    return units


def group_words(
    token_ids: Sequence[int],
    decode: Callable[[List[int]], str],
    starts: Sequence[float],
    ends: Sequence[float],
    logprobs: Sequence[float],
    every_unit_is_a_word: bool = False,
) -> List[TimedWord]:
    """Words from tokens: a new word starts at a leading space (or at every character group for
    scripts written without spaces); punctuation sticks to its neighbour."""
    groups: List[List[Tuple[str, int, int]]] = []
    opening: List[Tuple[str, int, int]] = []
    for unit in _units(token_ids, decode):
        text = unit[0]
        bare = text.strip()
        is_punctuation = bool(bare) and all(ch in _PUNCTUATION for ch in bare)
        if is_punctuation and bare[-1] in _OPENING and text.startswith(" "):
            opening.append(unit)  # an opening quote or bracket belongs to the next word
        elif groups and is_punctuation:
            groups[-1].append(unit)
        elif not groups or every_unit_is_a_word or text.startswith(" ") or opening:
            groups.append(opening + [unit])
            opening = []
        else:
            groups[-1].append(unit)
    if opening:
        groups.append(opening)
    words = []
    for group in groups:
        text = "".join(u[0] for u in group).strip()
        if not text:
            continue
        first, last = group[0][1], group[-1][2]
        probability = float(np.exp(np.sum(logprobs[first : last + 1])))
        words.append(TimedWord(text, float(starts[first]), float(ends[last]), probability, first, last))
    return words
