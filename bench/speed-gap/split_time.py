"""Where does the time go: whisper.cpp (whisper-cli) vs faster-whisper, per stage, on the same clips (issue 12).

    flock /tmp/bench.lock $SPEECH_PYTHON bench/speed-gap/split_time.py cli   --cli BIN --model GGML  CLIP...
    flock /tmp/bench.lock $SPEECH_PYTHON bench/speed-gap/split_time.py fw    --model CT2_DIR [--compute float32] CLIP...

Both: 2 threads, greedy, temperature 0 without fallback, no previous-text conditioning, English.
cli: whisper-cli's own whisper_print_timings (mel, encode, decode = decode+batchd+prompt, sample), summed over
clips; load time is left out (faster-whisper loads once too). fw: mel (feature extractor), encode
(model.encode on the first 30 s window, as transcribe does), and the full transcribe with and without word
timestamps; decode = transcribe(no words) - mel - encode. Prints one JSON line per run.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import time
import wave

TIMING = re.compile(r"whisper_print_timings:\s+(\w+) time =\s+([\d.]+) ms")


def audio_seconds(clips: list[str]) -> float:
    total = 0.0
    for clip in clips:
        with wave.open(clip) as w:
            total += w.getnframes() / w.getframerate()
    return total


def run_cli(args: argparse.Namespace) -> dict:
    sums: dict[str, float] = {}
    wall = 0.0
    for clip in args.clips:
        cmd = [args.cli, "-m", args.model, "-f", clip, "-t", str(args.threads), "-l", "en", "-nf", "-mc", "0",
               "-bs", "1", "-bo", "1", "-nt"]  # -np would also hide the timings
        started = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, check=True)
        wall += time.perf_counter() - started
        for name, ms in TIMING.findall(done.stderr):
            sums[name] = sums.get(name, 0.0) + float(ms)
    decode = sums.get("decode", 0) + sums.get("batchd", 0) + sums.get("prompt", 0)
    total = sums.get("total", 0) - sums.get("load", 0)
    return {"mel": sums.get("mel"), "encode": sums.get("encode"), "decode": decode, "sample": sums.get("sample"),
            "total_no_load": total, "load": sums.get("load"), "wall_incl_load": wall * 1000}


def run_fw(args: argparse.Namespace) -> dict:
    from faster_whisper import WhisperModel
    from faster_whisper.audio import decode_audio, pad_or_trim

    model = WhisperModel(args.model, device="cpu", compute_type=args.compute, cpu_threads=args.threads, num_workers=1)
    options = dict(language="en", beam_size=1, best_of=1, temperature=0.0, condition_on_previous_text=False,
                   vad_filter=False)
    mel = encode = plain = words = 0.0
    for clip in args.clips:
        audio = decode_audio(clip)
        t0 = time.perf_counter()
        features = model.feature_extractor(audio)
        t1 = time.perf_counter()
        model.encode(pad_or_trim(features[:, :3000]))
        t2 = time.perf_counter()
        list(model.transcribe(clip, word_timestamps=False, **options)[0])
        t3 = time.perf_counter()
        list(model.transcribe(clip, word_timestamps=True, **options)[0])
        t4 = time.perf_counter()
        mel += t1 - t0
        encode += t2 - t1
        plain += t3 - t2
        words += t4 - t3
    ms = lambda s: round(s * 1000, 1)  # noqa: E731
    return {"mel": ms(mel), "encode": ms(encode), "decode": ms(plain - mel - encode), "total_no_load": ms(plain),
            "total_word_timestamps": ms(words)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("engine", choices=["cli", "fw"])
    parser.add_argument("--cli")
    parser.add_argument("--model", required=True)
    parser.add_argument("--compute", default="float32")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--label", default="")
    parser.add_argument("clips", nargs="+")
    args = parser.parse_args()
    result = run_cli(args) if args.engine == "cli" else run_fw(args)
    seconds = audio_seconds(args.clips)
    result = {"label": args.label, "audio_s": round(seconds, 2), **result,
              "rtf": round(result["total_no_load"] / 1000 / seconds, 4),
              "load1": open("/proc/loadavg").read().split()[0]}
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
