"""Time spans in seconds of the original audio: speech regions, embedding windows and speaker turns
(apps/api/src/diarization/speech-span.ts)."""
from __future__ import annotations

import math
from typing import NamedTuple


class TimeSpan(NamedTuple):
    start: float
    end: float


class SpeakerTurn(NamedTuple):
    start: float
    end: float
    # "A", "B", … in order of first appearance (OpenAI's diarized_json labels), or a known speaker's name.
    speaker: str


def overlap(a_start: float, a_end: float, b_start: float, b_end: float) -> float:
    return max(0.0, min(a_end, b_end) - max(a_start, b_start))


def speaker_label(index: int) -> str:
    """"A" … "Z", then "AA", "AB", …: spreadsheet-style, so any number of speakers gets a short, stable label."""
    label = ""
    n = index
    while True:
        label = chr(65 + n % 26) + label
        n = n // 26 - 1
        if n < 0:
            return label


def js_round(value: float) -> int:
    """JavaScript's Math.round (halves go up), not Python's round (halves go to even): sample and frame indices must
    land where the TypeScript code puts them."""
    return math.floor(value + 0.5)


def round_ms(seconds: float) -> float:
    return js_round(seconds * 1000) / 1000
