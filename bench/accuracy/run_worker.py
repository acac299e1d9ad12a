"""Our whisper-worker without the API around it, over a list of WAV files: path (a) minus HTTP and ffmpeg.

    $SPEECH_PYTHON bench/accuracy/run_worker.py --worker BIN --model GGML [--threads 2] [--beam 1] [--language en] < files.txt

stdin: one 16 kHz mono WAV path per line. stdout: one JSON object per file, {audio, text, words: [{word, start}],
seconds, language}, like run_faster_whisper.py. Each file is sent as the local engine sends it: float32 PCM (what the
API's ffmpeg decode gives for a 16 kHz s16 WAV: sample / 32768, byte for byte), temperature 0 without fallback, word
timestamps on, greedy or a beam. For runs where the API's per-request HTTP timeout (undici: 300 s before the
response headers) is too short: a machine so loaded that one 30 s clip takes minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import soundfile as sf


def words_of(segments: list[dict]) -> list[dict]:
    """Tokens that start with whitespace begin a word (the API's result-mapping rule)."""
    words: list[dict] = []
    for token in (t for s in segments for t in s.get("tokens", [])):
        if not words or token["text"][:1].isspace():
            words.append({"word": token["text"], "start": token["t0_ms"] / 1000})
        else:
            words[-1]["word"] += token["text"]
    return [w for w in words if w["word"].strip()]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--beam", type=int, default=1, help="1 = greedy")
    parser.add_argument("--language", default="auto")
    args = parser.parse_args()
    worker = subprocess.Popen(
        [args.worker, "--model", args.model, "--threads", str(args.threads)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    assert worker.stdin is not None and worker.stdout is not None
    with tempfile.TemporaryDirectory(prefix="run-worker-") as folder:
        pcm = os.path.join(folder, "audio.f32")
        for index, line in enumerate(sys.stdin):
            audio = line.strip()
            if not audio:
                continue
            samples, rate = sf.read(audio, dtype="float32")
            if rate != 16000 or samples.ndim != 1:
                raise SystemExit(f"{audio}: expected 16 kHz mono, got {rate} Hz, shape {samples.shape}")
            samples.astype("<f4").tofile(pcm)
            op = {
                "op": "transcribe", "id": str(index), "pcm": pcm, "language": args.language, "translate": False,
                "prompt": "", "temperature": 0, "temperature_inc": 0, "beam_size": args.beam if args.beam > 1 else 0,
                "word_timestamps": True, "threads": args.threads,
            }
            started = time.perf_counter()
            worker.stdin.write(json.dumps(op) + "\n")
            worker.stdin.flush()
            while True:
                event = json.loads(worker.stdout.readline())
                if event.get("event") == "result" and event["id"] == str(index):
                    break
                if event.get("event") in ("error", "fatal"):
                    raise SystemExit(f"{audio}: {event}")
            seconds = time.perf_counter() - started
            segments = sorted(event["segments"], key=lambda s: s["t0_ms"])
            text = "".join(s["text"] for s in segments).strip()
            print(json.dumps({"audio": audio, "text": text, "words": words_of(segments), "seconds": seconds,
                              "language": event["language"]}), flush=True)
    worker.stdin.write('{"op":"shutdown"}\n')
    worker.stdin.close()
    worker.wait()


if __name__ == "__main__":
    main()
