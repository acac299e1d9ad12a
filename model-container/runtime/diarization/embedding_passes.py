"""How the planned embedding windows are run through the speaker encoder: in passes of at most MAX_PASS_SECONDS of
one speech region. The frame-level network runs once per pass and each window is pooled from its own stretch of the
frame-level output (a 0/1 row over the 20 ms outputs), so overlapping windows share the work. The same rules as the
API's TypeScript code, so both sides pool the same frames."""
from __future__ import annotations

from typing import List, NamedTuple, Sequence

import numpy as np

from runtime.diarization.embedding_windows import EmbeddingWindow
from runtime.diarization.spans import TimeSpan, js_round

# Bounds one run's memory and time (the encoder's attention pools over the whole pass), long enough that most
# speech regions are one pass.
MAX_PASS_SECONDS = 30.0
# Frame-level outputs per second: 10 ms fbank frames, then the encoder's stride-2 TDNN layer.
OUTPUTS_PER_SECOND = 50


class EmbeddingPass(NamedTuple):
    start: float
    end: float
    windows: List[int]  # indices into the planned windows, in order


def plan_passes(regions: Sequence[TimeSpan], windows: Sequence[EmbeddingWindow]) -> List[EmbeddingPass]:
    """Over `windows` in plan order (by region, then start): a pass starts at the first window not yet taken and ends
    at its region's end or MAX_PASS_SECONDS later, whichever comes first; it takes that window and every following
    window of the region that ends by then (apps/api/src/diarization/embedding-passes.ts, step for step)."""
    passes: List[EmbeddingPass] = []
    next_window = 0
    while next_window < len(windows):
        first = windows[next_window]
        start = first.start
        end = min(regions[first.region][1], start + MAX_PASS_SECONDS)
        taken = [next_window]
        next_window += 1
        # The 1e-9 tolerance is the TypeScript code's: a window ending at the pass end up to rounding still fits.
        while next_window < len(windows):
            candidate = windows[next_window]
            if candidate.region != first.region or candidate.end > end + 1e-9:
                break
            taken.append(next_window)
            next_window += 1
        passes.append(EmbeddingPass(start, end, taken))
    return passes


def frame_outputs(frames: int) -> int:
    """The encoder's frame-level outputs for `frames` fbank frames (its TDNN layer: kernel 5, padding 2, stride 2)."""
    return (frames - 1) // 2 + 1


def window_rows(embedding_pass: EmbeddingPass, windows: Sequence[EmbeddingWindow], outputs: int) -> np.ndarray:
    """[windows, outputs] float32: ones over each window's frame-level outputs, at least one, none past the end."""
    rows = np.zeros((len(embedding_pass.windows), outputs), dtype=np.float32)
    for row, index in enumerate(embedding_pass.windows):
        window = windows[index]
        first = min(outputs - 1, js_round((window.start - embedding_pass.start) * OUTPUTS_PER_SECOND))
        last = min(outputs, max(first + 1, js_round((window.end - embedding_pass.start) * OUTPUTS_PER_SECOND)))
        rows[row, first:last] = 1.0
    return rows
