"""The reference: silero-vad's own code (PyPI silero-vad 6.2.3, its onnxruntime path) on the same input.

Two modes, JSON on stdin → JSON on stdout:
  {"pcm": "<f32le 16 kHz mono file>", "options": {...}, "option_sets": [{...}, ...]}
      → {"probabilities": [...], "regions": [...], "region_sets": [[...], ...], "cpu_seconds": s, "max_rss_kb": n}
      frame probabilities from OnnxWrapper (load_silero_vad(onnx=True): silero_vad.onnx, one thread) and
      get_speech_timestamps over them (for `options`, and for each of the optional `option_sets`);
  {"cases": [{"probabilities": [...], "samples": n, "options": {...}}]}  → {"regions": [[...], ...]}
      get_speech_timestamps_from_probs on given probabilities (checks the port of the region logic alone).
options use the reference's names: threshold, neg_threshold, min_speech_duration_ms, min_silence_duration_ms,
speech_pad_ms, max_speech_duration_s.
"""
from __future__ import annotations

import json
import math
import resource
import sys
import time

import numpy as np
import torch
from silero_vad import load_silero_vad
from silero_vad.utils_vad import get_speech_timestamps_from_probs

FRAME = 512


def _options(raw: dict) -> dict:
    options = dict(raw)
    if options.get("max_speech_duration_s") is None:
        options["max_speech_duration_s"] = math.inf
    return options


def _probabilities(pcm: str) -> tuple[list[float], int, float]:
    audio = torch.from_numpy(np.fromfile(pcm, dtype="<f4"))
    model = load_silero_vad(onnx=True)
    model.reset_states()
    started = time.process_time()
    probabilities = []
    # The loop of get_speech_timestamps: 512-sample frames, the last one zero-padded.
    for start in range(0, len(audio), FRAME):
        chunk = audio[start:start + FRAME]
        if len(chunk) < FRAME:
            chunk = torch.nn.functional.pad(chunk, (0, FRAME - len(chunk)))
        probabilities.append(model(chunk, 16000).item())
    return probabilities, len(audio), time.process_time() - started


def main() -> int:
    request = json.load(sys.stdin)
    if "cases" in request:
        regions = [
            get_speech_timestamps_from_probs(case["probabilities"], audio_length_samples=case["samples"],
                                             **_options(case["options"]))
            for case in request["cases"]
        ]
        json.dump({"regions": regions}, sys.stdout)
        return 0
    probabilities, samples, seconds = _probabilities(request["pcm"])
    regions = get_speech_timestamps_from_probs(probabilities, audio_length_samples=samples, **_options(request["options"]))
    region_sets = [get_speech_timestamps_from_probs(probabilities, audio_length_samples=samples, **_options(o))
                   for o in request.get("option_sets", [])]
    json.dump({"probabilities": probabilities, "regions": regions, "region_sets": region_sets, "cpu_seconds": seconds,
               "samples": samples, "max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}, sys.stdout)
    return 0


if __name__ == "__main__":
    torch.set_num_threads(1)
    sys.exit(main())
