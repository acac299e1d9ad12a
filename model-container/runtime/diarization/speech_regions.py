"""Speech regions for diarization inside the container, from frame energy.

The API hands diarize() the regions of its Silero VAD stage; the container receives only audio, and it carries no VAD
model, so it finds speech the simple way: 20 ms frames whose level stands clearly above the recording's own noise
floor, joined across pauses shorter than MIN_PAUSE_SECONDS, stretches shorter than MIN_SPEECH_SECONDS dropped, each
padded a little (Silero's own defaults for those three). Splitting at short pauses matters: a region that runs across
a change of speaker gives windows of two voices, which cluster apart from both. Good on the clean close-talk audio transcription gets; a noisy room lowers it to "everything above
the hum", which costs DER (false alarm) but never a speaker: every region is still embedded and clustered."""
from __future__ import annotations

from typing import List

import numpy as np

from runtime.diarization.spans import TimeSpan

SAMPLE_RATE = 16_000
FRAME = 320  # 20 ms
# The noise floor is this percentile of the frame levels (a conversation pauses at least this often).
FLOOR_PERCENTILE = 10
# Speech is at least this far above the floor, and never quieter than ABSOLUTE_FLOOR_DBFS nor further than
# BELOW_PEAK_DB under the loud end of the recording.
ABOVE_FLOOR_DB = 12.0
BELOW_PEAK_DB = 35.0
ABSOLUTE_FLOOR_DBFS = -60.0
# Silero VAD's defaults (what the API's VAD stage runs with): a pause of 100 ms ends a region, speech shorter than
# 250 ms is dropped, 30 ms of padding each side.
MIN_PAUSE_SECONDS = 0.1
MIN_SPEECH_SECONDS = 0.25
PAD_SECONDS = 0.03


def energy_speech_regions(samples: np.ndarray) -> List[TimeSpan]:
    frames = len(samples) // FRAME
    if frames == 0:
        return []
    power = np.mean(np.square(samples[: frames * FRAME].reshape(frames, FRAME).astype(np.float64)), axis=1)
    level = 10 * np.log10(power + 1e-12)
    floor = float(np.percentile(level, FLOOR_PERCENTILE))
    peak = float(np.percentile(level, 99))
    threshold = max(ABSOLUTE_FLOOR_DBFS, min(floor + ABOVE_FLOOR_DB, peak - BELOW_PEAK_DB))
    voiced = np.flatnonzero(level > threshold)
    if voiced.size == 0:
        return []
    frame_seconds = FRAME / SAMPLE_RATE
    runs: List[List[int]] = []
    for f in voiced.tolist():
        if runs and (f - runs[-1][1] - 1) * frame_seconds < MIN_PAUSE_SECONDS:
            runs[-1][1] = f
        else:
            runs.append([f, f])
    duration = len(samples) / SAMPLE_RATE
    regions: List[TimeSpan] = []
    for first, last in runs:
        start = max(0.0, first * frame_seconds - PAD_SECONDS)
        end = min(duration, (last + 1) * frame_seconds + PAD_SECONDS)
        if (last + 1 - first) * frame_seconds < MIN_SPEECH_SECONDS:
            continue
        if regions and start <= regions[-1].end:
            regions[-1] = TimeSpan(regions[-1].start, end)
        else:
            regions.append(TimeSpan(round(start, 3), round(end, 3)))
    return regions
