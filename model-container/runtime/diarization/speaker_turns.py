"""Speaker turns from labelled embedding windows (apps/api/src/diarization/speaker-turns.ts). Inside each speech region
every 10 ms frame takes the label of the covering window whose centre is nearest (overlapping windows vote by
proximity); a region with no window of its own (too short to embed) takes the label of the nearest window. Runs shorter
than MIN_TURN_SECONDS are absorbed by the longer neighbour. Labels are renamed "A", "B", … in order of first
appearance, or by `names[cluster]` when given."""
from __future__ import annotations

from typing import Dict, List, Mapping, Optional, Sequence

import numpy as np

from runtime.diarization.spans import SpeakerTurn, TimeSpan, js_round, round_ms, speaker_label

# Turn boundaries are resolved on a 10 ms grid: finer than any word boundary a transcript carries.
FRAME_SECONDS = 0.01
# A speaker run shorter than this inside a region is noise from one window, not a turn: it joins its neighbour.
MIN_TURN_SECONDS = 0.5
# Added to the distance of a window that does not cover the frame, so any covering window wins (the same constant
# as the TypeScript code, so near-ties fall the same way).
_NOT_COVERING = 1e6


def speaker_turns(
    regions: Sequence[TimeSpan],
    windows: Sequence[TimeSpan],
    labels: Sequence[int],
    names: Optional[Mapping[int, str]] = None,
) -> List[SpeakerTurn]:
    if not windows:
        return []
    starts = np.array([w[0] for w in windows], dtype=np.float64)
    ends = np.array([w[1] for w in windows], dtype=np.float64)
    centres = (starts + ends) / 2
    label_of = np.asarray(labels)
    min_frames = js_round(MIN_TURN_SECONDS / FRAME_SECONDS)
    runs = []
    for region_start, region_end in regions:
        frames = max(1, js_round((region_end - region_start) / FRAME_SECONDS))
        times = region_start + (np.arange(frames) + 0.5) * FRAME_SECONDS
        frame_labels = label_of[_nearest_windows(times, starts, ends, centres, region_start, region_end)]
        for first, last, label in _absorb_short_runs(_to_runs(frame_labels.tolist()), min_frames):
            runs.append(
                (
                    region_start + first * FRAME_SECONDS,
                    min(region_end, region_start + (last + 1) * FRAME_SECONDS),
                    label,
                )
            )
    order: Dict[int, str] = {}
    turns = []
    for start, end, cluster in runs:
        if cluster not in order:
            order[cluster] = (names or {}).get(cluster) or speaker_label(len(order))
        turns.append(SpeakerTurn(round_ms(start), round_ms(end), order[cluster]))
    return turns


def _nearest_windows(times, starts, ends, centres, region_start: float, region_end: float) -> np.ndarray:
    """For each frame time, the window the TypeScript scan picks: a covering window with the nearest centre, else the
    nearest centre of all. Only windows touching the region can cover its frames, so those are scored first."""
    touching = np.flatnonzero((starts <= region_end) & (ends >= region_start))
    chosen = np.zeros(times.size, dtype=np.int64)
    unresolved = np.ones(times.size, dtype=bool)
    if touching.size:
        t = times[:, None]
        covers = (t >= starts[touching]) & (t < ends[touching])
        score = np.abs(t - centres[touching]) + np.where(covers, 0.0, _NOT_COVERING)
        best = np.argmin(score, axis=1)
        chosen = touching[best]
        unresolved = ~covers[np.arange(times.size), best]
    if unresolved.any():
        t = times[unresolved][:, None]
        score = np.abs(t - centres) + _NOT_COVERING
        chosen[unresolved] = np.argmin(score, axis=1)
    return chosen


def _to_runs(frame_labels: List[int]) -> List[List[int]]:
    runs: List[List[int]] = []  # [first, last, label]
    for f, label in enumerate(frame_labels):
        if runs and runs[-1][2] == label:
            runs[-1][1] = f
        else:
            runs.append([f, f, label])
    return runs


def _absorb_short_runs(runs: List[List[int]], min_frames: int) -> List[List[int]]:
    result = [list(r) for r in runs]
    while True:
        shortest = -1
        for i, (first, last, _) in enumerate(result):
            length = last - first + 1
            if len(result) > 1 and length < min_frames and (shortest < 0 or length < result[shortest][1] - result[shortest][0] + 1):
                shortest = i
        if shortest < 0:
            return result
        before = result[shortest - 1] if shortest > 0 else None
        after = result[shortest + 1] if shortest + 1 < len(result) else None
        into = before if after is None or (before is not None and before[1] - before[0] >= after[1] - after[0]) else after
        into[0] = min(into[0], result[shortest][0])
        into[1] = max(into[1], result[shortest][1])
        del result[shortest]
        # Two neighbours with the same label now touch: join them.
        for i in range(len(result) - 1, 0, -1):
            if result[i][2] == result[i - 1][2]:
                result[i - 1][1] = result[i][1]
                del result[i]
