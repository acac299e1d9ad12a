"""Where speaker embeddings are taken (apps/api/src/diarization/embedding-windows.ts): 1.6 s windows every 0.4 s
inside each speech region. A region shorter than a window gets one window of its own length, since padding it with
neighbouring audio would mix in the pause or the next speaker. Regions shorter than MIN_WINDOW_SECONDS carry too little
voice for a stable embedding; their speaker comes from the nearest labelled neighbour instead."""
from __future__ import annotations

import math
from typing import List, NamedTuple, Sequence

from runtime.diarization.spans import TimeSpan

WINDOW_SECONDS = 1.6
STEP_SECONDS = 0.4
MIN_WINDOW_SECONDS = 0.4


class EmbeddingWindow(NamedTuple):
    start: float
    end: float
    region: int  # index of the speech region it lies in


def plan_embedding_windows(regions: Sequence[TimeSpan]) -> List[EmbeddingWindow]:
    windows: List[EmbeddingWindow] = []
    for index, (region_start, region_end) in enumerate(regions):
        length = region_end - region_start
        if length < MIN_WINDOW_SECONDS:
            continue
        if length <= WINDOW_SECONDS:
            windows.append(EmbeddingWindow(region_start, region_end, index))
            continue
        count = math.ceil((length - WINDOW_SECONDS) / STEP_SECONDS) + 1
        for i in range(count):
            # The last window is pulled back to end at the region's end, so no tail is left out or padded.
            start = min(region_start + i * STEP_SECONDS, region_end - WINDOW_SECONDS)
            windows.append(EmbeddingWindow(start, start + WINDOW_SECONDS, index))
    return windows
