"""The peer for bench/vad-pipeline.ts: faster-whisper (CTranslate2) on the same recording, vad_filter off and on.

JSON on stdin → JSON on stdout:
  {"audio": "<wav>", "model": "<CTranslate2 model dir>", "threads": 2, "rounds": 1}
  → {"runs": [{"vad": true|false, "seconds": s, "text": "...", "segments": [[start, end], ...]}, ...]}
Greedy (beam_size=1) with language "en", as our engine decodes, and everything else faster-whisper's defaults (its
vad_filter uses its own bundled Silero). Rounds alternate which side goes first, as the TypeScript bench does, so a
change in machine load does not always favour one side. The model is loaded once, before any timing.
"""
from __future__ import annotations

import json
import sys
import time

from faster_whisper import WhisperModel
from faster_whisper.audio import decode_audio


def main() -> None:
    request = json.load(sys.stdin)
    model = WhisperModel(request["model"], device="cpu", cpu_threads=int(request.get("threads", 2)))
    # Decoding the file is the same for both sides; it is done once so the timing is the transcription alone.
    audio = decode_audio(request["audio"], sampling_rate=16000)
    runs = []
    for round_index in range(int(request.get("rounds", 1))):
        for vad in (True, False) if round_index % 2 == 0 else (False, True):
            started = time.perf_counter()
            segments, _ = model.transcribe(audio, language="en", beam_size=1, vad_filter=vad)
            listed = list(segments)  # the generator decodes lazily: listing it is the transcription
            seconds = time.perf_counter() - started
            runs.append(
                {
                    "vad": vad,
                    "seconds": seconds,
                    "text": " ".join(segment.text.strip() for segment in listed),
                    "segments": [[segment.start, segment.end] for segment in listed],
                }
            )
    json.dump({"runs": runs}, sys.stdout)


if __name__ == "__main__":
    main()
