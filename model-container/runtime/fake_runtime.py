"""FOR TESTS ONLY: a deterministic stand-in for a speech model (RUNTIME=fake).

It does not recognise speech. It finds the voiced stretches of the audio by energy and names
them ("segment 1 ..."), so tests can check the whole HTTP path, the result shape, the options
and the timing without torch or weights. Fault injection through the prompt lets tests drive
the server's timeouts, crashes and shutdown:

    prompt="fake:sleep=2.5"   take 2.5 s
    prompt="fake:hang"        never return (until the process exits)
    prompt="fake:crash"       raise inside the runtime
"""
from __future__ import annotations

import re
import threading
import time
from typing import List, Optional, Tuple

import numpy as np

from runtime.protocol import SAMPLE_RATE, RawResult, TranscribeOptions

FRAME = SAMPLE_RATE // 50  # 20 ms
WORD_SECONDS = 0.4


class FakeRuntimeCrash(RuntimeError):
    pass


class FakeRuntime:
    name = "fake"

    def __init__(self, load_delay_s: float = 0.0, load_error: Optional[str] = None, translation_trained: bool = True):
        self._load_delay_s = load_delay_s
        self._load_error = load_error
        self._translation_trained = translation_trained
        self._loaded = False

    @property
    def loaded(self) -> bool:
        return self._loaded

    @property
    def translation_trained(self) -> bool:
        return self._translation_trained

    def load(self) -> None:
        time.sleep(self._load_delay_s)
        if self._load_error:
            raise RuntimeError(self._load_error)
        self._loaded = True

    def transcribe(self, audio: np.ndarray, options: TranscribeOptions) -> RawResult:
        self._obey_directives(options.prompt or "")
        prefix = "(translated) " if options.task == "translate" else ""
        segments = []
        for index, (start, end) in enumerate(voiced_regions(audio), start=1):
            text = f"{prefix}segment {index}"
            segment = {"start": start, "end": end, "text": text, "avg_logprob": -0.25, "no_speech_prob": 0.01}
            if options.word_timestamps:
                segment["words"] = _fake_words(start, end, index)
            segments.append(segment)
        return {
            "text": " ".join(s["text"] for s in segments),
            "language": "en" if options.task == "translate" else (options.language or "en"),
            "segments": segments,
        }

    @staticmethod
    def _obey_directives(prompt: str) -> None:
        if "fake:crash" in prompt:
            raise FakeRuntimeCrash("fake runtime asked to crash")
        if "fake:hang" in prompt:
            threading.Event().wait()
        match = re.search(r"fake:sleep=([0-9.]+)", prompt)
        if match:
            time.sleep(float(match.group(1)))


def voiced_regions(audio: np.ndarray, min_gap_s: float = 0.3) -> List[Tuple[float, float]]:
    """Stretches whose 20 ms RMS is above a tenth of the loudest frame, gaps < min_gap_s merged."""
    frames = len(audio) // FRAME
    if frames == 0:
        return []
    rms = np.sqrt(np.mean(audio[: frames * FRAME].reshape(frames, FRAME).astype(np.float64) ** 2, axis=1))
    if rms.max() < 1e-4:
        return []
    voiced = rms > rms.max() * 0.1
    regions: List[List[float]] = []
    for i in np.flatnonzero(voiced):
        start, end = i * FRAME / SAMPLE_RATE, (i + 1) * FRAME / SAMPLE_RATE
        if regions and start - regions[-1][1] < min_gap_s:
            regions[-1][1] = end
        else:
            regions.append([start, end])
    return [(round(s, 3), round(e, 3)) for s, e in regions]


def _fake_words(start: float, end: float, index: int) -> list:
    count = max(1, int((end - start) // WORD_SECONDS))
    step = (end - start) / count
    return [
        {"word": f"w{index}.{k + 1}", "start": start + k * step, "end": start + (k + 1) * step, "probability": 0.9}
        for k in range(count)
    ]
