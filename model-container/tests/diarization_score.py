"""Diarization error rate for the tests, ported from libs/test-support/src/lib/diarization-score.ts (which is pinned
against pyannote.metrics figures; pyannote.metrics is not installed here): (missed + false alarm + confusion) /
reference speech, on a 10 ms grid, with the one-to-one speaker mapping that maximises overlap and an optional no-score
collar around every reference boundary. Overlapped speech counts (each reference speaker in a frame is one unit)."""
from __future__ import annotations

import itertools
import math
from typing import List, NamedTuple, Sequence

import numpy as np

FRAME = 0.01


class Labelled(NamedTuple):
    start: float
    end: float
    speaker: str


def _js_round(value: float) -> int:
    return math.floor(value + 0.5)


def parse_rttm(text: str) -> List[Labelled]:
    spans = []
    for line in text.splitlines():
        if line.startswith("SPEAKER"):
            fields = line.split()
            start = float(fields[3])
            spans.append(Labelled(start, start + float(fields[4]), fields[7]))
    return spans


def speech_union(spans: Sequence[Labelled]) -> List[tuple]:
    """Where anyone speaks ("oracle" speech regions): the union of the spans, merged where they touch or overlap."""
    merged: List[List[float]] = []
    for span in sorted(spans, key=lambda s: s.start):
        if merged and span.start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], span.end)
        else:
            merged.append([span.start, span.end])
    return [tuple(m) for m in merged]


def diarization_error_rate(reference: Sequence[Labelled], hypothesis: Sequence[Labelled], collar: float = 0.0) -> float:
    end = max([0.0] + [s.end for s in reference] + [s.end for s in hypothesis])
    frames = math.ceil(end / FRAME) + 1

    def grid(spans: Sequence[Labelled]) -> np.ndarray:
        speakers = list(dict.fromkeys(s.speaker for s in spans))
        active = np.zeros((len(speakers), frames), dtype=bool)
        for s in spans:
            active[speakers.index(s.speaker), _js_round(s.start / FRAME) : min(frames, _js_round(s.end / FRAME))] = True
        return active

    ref, hyp = grid(reference), grid(hypothesis)
    scored = np.ones(frames, dtype=bool)
    if collar > 0:
        for s in reference:
            for edge in (s.start, s.end):
                scored[max(0, _js_round((edge - collar) / FRAME)) : min(frames, _js_round((edge + collar) / FRAME))] = False
    ref, hyp = ref[:, scored], hyp[:, scored]
    shared = (ref[:, None, :] & hyp[None, :, :]).sum(axis=2)
    correct = 0
    # Exhaustive over mappings (fine for a few speakers), as the TypeScript scorer does.
    for order in itertools.permutations(range(max(len(hyp), len(ref))), len(ref)):
        correct = max(correct, sum(shared[r, h] for r, h in enumerate(order) if h < len(hyp)))
    n_ref, n_hyp = ref.sum(axis=0), hyp.sum(axis=0)
    total = int(n_ref.sum())
    errors = np.maximum(0, n_ref - n_hyp).sum() + np.maximum(0, n_hyp - n_ref).sum() + np.minimum(n_ref, n_hyp).sum() - correct
    return 0.0 if total == 0 else float(errors) / total
