#!/usr/bin/env python3
"""Does a whisper-worker decode depend on what the worker decoded before? Run it on any build (CPU, CUDA, Vulkan).

whisper.cpp's flash attention reads K/V padded to a multiple of 256 rows; unpatched, the padding rows were not masked
and held an earlier window's values, so the same audio decoded differently after other windows
(apps/api/native/whisper-patches). test/medium/fitted-window-history.medium.spec.ts checks the CPU build in CI; this
script checks the other builds on the machines that have them (a GPU), with nothing but Python and the worker binary.

For each window of the turn (0 = the full 30 s, 384, 448 frames): decode the turn on a fresh worker state, then after
each of six other windows on other audio, and compare text and avg_logprob (exactly). Exit status 1 when any decode
differs. Random-weight models work (the point is identical numbers, not good text). no_speech_prob is reported, not
judged: with real tiny.en it is identical too (the medium spec compares it), but with the random multilingual
tiny-test model it moves by a few per cent between calls even from a full window to a full window, patched or not,
so something besides the padding carries it (not chased yet).

    python3 bench/whisper-history-check.py --worker build/bin/whisper-worker --model ggml-model.bin \
        --turn turn.f32 --other other.f32 [--gpu] [--threads 4]
(pcm: raw 16 kHz mono float32 little-endian, as the worker reads it)
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys

WINDOWS_BEFORE = [0, 1024, 384, 448, 1280, 640]
TURN_WINDOWS = [0, 384, 448]


class Worker:
    def __init__(self, binary: str, model: str, threads: int, gpu: bool) -> None:
        args = [binary, "--model", model, "--threads", str(threads), "--parallel", "1"] + (["--gpu"] if gpu else [])
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.threads = threads
        self.next = 0
        while True:
            line = self._read()
            if line.get("event") == "ready":
                self.ready = line
                return

    def _read(self) -> dict:
        raw = self.proc.stdout.readline()
        if not raw:
            raise SystemExit("the worker exited")
        return json.loads(raw)

    def decode(self, pcm: str, audio_ctx: int) -> list[tuple[str, float, float]]:
        """(text, avg_logprob, no_speech_prob) per segment."""
        self.next += 1
        op = {"op": "transcribe", "id": f"h{self.next}", "pcm": pcm, "language": "en", "translate": False, "prompt": "",
              "temperature": 0, "temperature_inc": 0, "beam_size": 0, "word_timestamps": False, "threads": self.threads}
        if audio_ctx > 0:
            op["audio_ctx"] = audio_ctx
        self.proc.stdin.write(json.dumps(op) + "\n")
        self.proc.stdin.flush()
        while True:
            line = self._read()
            if line.get("id") != op["id"] or line.get("event") not in ("result", "error"):
                continue
            if line["event"] == "error":
                raise SystemExit(f"decode failed: {line}")
            return [(s["text"], s["avg_logprob"], s["no_speech_prob"]) for s in line["segments"]]

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--worker", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--turn", required=True)
    parser.add_argument("--other", required=True)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--gpu", action="store_true")
    args = parser.parse_args()
    differing = 0
    no_speech_drift = 0.0
    for turn_window in TURN_WINDOWS:
        worker = Worker(args.worker, args.model, args.threads, args.gpu)
        try:
            fresh = worker.decode(args.turn, turn_window)
            for before in WINDOWS_BEFORE:
                worker.decode(args.other, before)
                again = worker.decode(args.turn, turn_window)
                same = [seg[:2] for seg in again] == [seg[:2] for seg in fresh]
                differing += 0 if same else 1
                for (_, _, a), (_, _, b) in zip(again, fresh):
                    no_speech_drift = max(no_speech_drift, abs(a - b) / max(abs(b), 1e-12))
                print(f"turn window {turn_window:4d} after a {before:4d}-frame window: {'same' if same else 'DIFFERENT'}"
                      + ("" if same else f"\n  fresh: {fresh}\n  now:   {again}"))
        finally:
            worker.close()
    print(f"{differing} of {len(TURN_WINDOWS) * len(WINDOWS_BEFORE)} decodes differed from the fresh one (text, avg_logprob); "
          f"no_speech_prob moved by up to {100 * no_speech_drift:.1f} %")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
