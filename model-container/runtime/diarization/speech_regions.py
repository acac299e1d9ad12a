"""Speech regions for diarization inside the container, from frame energy: the API's own fallback
(apps/api/src/diarization/energy-speech-regions.ts, step for step), used there when the pipeline has no VAD regions.
The container carries no VAD model, so this is what it always runs; using the API's rule (not one of its own) keeps
the AWS path's speaker count the laptop path's: the count estimate was measured on these regions (BRIDGE_SECONDS),
and a detector that cuts at shorter pauses gives shorter passes and more fragments, which counted pyannote's
two-speaker sample as four."""
from __future__ import annotations

import math
from typing import List

import numpy as np

from runtime.diarization.spans import TimeSpan

SAMPLE_RATE = 16_000
# 20 ms frames: short enough to end a region in the pause between two turns.
FRAME_SAMPLES = 320
# A frame is speech when it is this far above the recording's noise floor (its 10th-percentile frame energy)…
ABOVE_FLOOR_DB = 15.0
# …and above this absolute level, so digital silence with a -120 dB floor does not turn hiss into speech.
MIN_SPEECH_DBFS = -50.0
# Pauses up to this stay inside a region (the gaps between words); the API measured 0.2 s best with the count
# estimated (energy-speech-regions.ts: pyannote sample 4.3 % DER with 2 speakers found).
BRIDGE_SECONDS = 0.2
# Bursts shorter than this are clicks, not speech.
MIN_REGION_SECONDS = 0.2
# Regions are widened by this much either side (speech onsets and offsets are quieter than the vowels).
PAD_SECONDS = 0.05
# Regions longer than this are cut into equal pieces, as the API's diarization stage does (diarize.stage.ts
# MAX_REGION_SECONDS): the API for memory, here so that windows are planned on the same regions.
MAX_REGION_SECONDS = 60.0


def energy_speech_regions(samples: np.ndarray) -> List[TimeSpan]:
    frames = len(samples) // FRAME_SAMPLES
    if frames == 0:
        return []
    squares = np.square(np.asarray(samples[: frames * FRAME_SAMPLES], dtype=np.float64)).reshape(frames, FRAME_SAMPLES)
    levels = 10 * np.log10(squares.sum(axis=1) / FRAME_SAMPLES + 1e-12)
    floor = float(np.sort(levels)[math.floor(frames * 0.1)])
    threshold = max(floor + ABOVE_FLOOR_DB, MIN_SPEECH_DBFS)
    frame_seconds = FRAME_SAMPLES / SAMPLE_RATE
    raw: List[TimeSpan] = []
    for f in np.flatnonzero(levels >= threshold).tolist():
        start = f * frame_seconds
        if raw and start - raw[-1].end <= BRIDGE_SECONDS:
            raw[-1] = TimeSpan(raw[-1].start, start + frame_seconds)
        else:
            raw.append(TimeSpan(start, start + frame_seconds))
    duration = len(samples) / SAMPLE_RATE
    padded = [
        TimeSpan(max(0.0, r.start - PAD_SECONDS), min(duration, r.end + PAD_SECONDS)) for r in raw if r.end - r.start >= MIN_REGION_SECONDS
    ]
    # Padding may make neighbours touch: join them so regions stay disjoint and ordered.
    joined: List[TimeSpan] = []
    for region in padded:
        if joined and region.start <= joined[-1].end:
            joined[-1] = TimeSpan(joined[-1].start, max(joined[-1].end, region.end))
        else:
            joined.append(region)
    return joined


def split_long_regions(regions: List[TimeSpan], max_seconds: float = MAX_REGION_SECONDS) -> List[TimeSpan]:
    """Regions longer than `max_seconds` cut into equal pieces (a window never straddles a cut; the turns on either
    side join again by speaker)."""
    pieces: List[TimeSpan] = []
    for region in regions:
        count = math.ceil((region.end - region.start) / max_seconds)
        if count <= 1:
            pieces.append(region)
            continue
        length = (region.end - region.start) / count
        pieces += [
            TimeSpan(region.start + i * length, region.end if i == count - 1 else region.start + (i + 1) * length) for i in range(count)
        ]
    return pieces
