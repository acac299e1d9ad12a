#!/usr/bin/env python3
"""The model container's diarization stage (model-container/runtime/diarization, the numpy port of
apps/api/src/diarization): parity with the TypeScript code, DER on pyannote.audio's two-speaker sample, and speed
on one core.

    $SPEECH_PYTHON bench/model-container-diarization.py [--minutes 10]

Parity: against model-container/tests/fixtures/diarization-parity.json (what the TypeScript stage computed with the
same ONNX encoder): largest Kaldi fbank difference (log energies, absolute), smallest embedding cosine, largest
turn-boundary difference.
DER: with a 0.25 s collar, speech regions from the container's own energy detector ("container") and from the
reference ("oracle", as bench/diarization.ts), count given and estimated.
Speed: the whole stage (regions, fbank, embeddings, clustering, turns) on the sample repeated to --minutes, one
onnxruntime thread and one BLAS thread; figure of merit: × real time (the issue asks for ≥ 50×).
"""
from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"  # before numpy loads: "one core" means one thread everywhere

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

CONTAINER = Path(__file__).resolve().parents[1] / "model-container"
sys.path[:0] = [str(CONTAINER), str(CONTAINER / "tests")]

from diarization_score import Labelled, diarization_error_rate, parse_rttm, speech_union  # noqa: E402
from diarization_support import decode, speaker_assets  # noqa: E402
from runtime.diarization.diarize import DiarizationOptions, diarize, embed_speech  # noqa: E402
from runtime.diarization.kaldi_fbank import FBANK_BANDS, fbank  # noqa: E402
from runtime.diarization.spans import TimeSpan, js_round  # noqa: E402
from runtime.diarization.speaker_encoder import OnnxSpeakerEncoder  # noqa: E402
from runtime.diarization.speech_regions import energy_speech_regions  # noqa: E402


def parity(samples, encoder) -> None:
    fixture = json.loads((CONTAINER / "tests/fixtures/diarization-parity.json").read_text())
    regions = [TimeSpan(r["start"], r["end"]) for r in fixture["regions"]]
    first, last = (js_round(s * 16000) for s in fixture["fbank"]["seconds"])
    theirs = np.asarray(fixture["fbank"]["values"]).reshape(-1, FBANK_BANDS)
    ours = fbank(samples[first:last])
    fbank_abs = float(np.max(np.abs(ours - theirs)))
    speech = embed_speech(samples, regions, encoder)
    cosines = [float(np.dot(speech.embeddings[i], e) / np.linalg.norm(e)) for i, e in zip(fixture["embedding_indices"], fixture["embeddings"])]
    cases = {"speakers_2": DiarizationOptions(speakers=2), "estimated": DiarizationOptions(),
             "max_speakers_1": DiarizationOptions(max_speakers=1), "min_speakers_3": DiarizationOptions(min_speakers=3)}  # fmt: skip
    worst, same_labels = 0.0, True
    for name, options in cases.items():
        turns = diarize(samples, regions, encoder, options)
        other = fixture["turns"][name]
        same_labels &= [t.speaker for t in turns] == [t["speaker"] for t in other]
        worst = max([worst] + [max(abs(t.start - o["start"]), abs(t.end - o["end"])) for t, o in zip(turns, other)])
    print(f"parity with the TypeScript stage: fbank max abs diff {fbank_abs:.1e}, "
          f"embedding cosine min {min(cosines):.7f} over {len(cosines)}, windows identical: "
          f"{[[w.start, w.end, w.region] for w in speech.windows] == fixture['windows']}, turn labels identical: {same_labels}, "
          f"largest boundary difference {worst * 1000:.1f} ms")


def der(samples, reference, encoder) -> None:
    print("\nDER on pyannote's sample (0.25 s collar; no collar in brackets)")
    print("regions\tcount\tDER\tspeakers found")
    for label, regions in (("container", energy_speech_regions(samples)), ("oracle", [TimeSpan(*r) for r in speech_union(reference)])):
        for count, options in (("given", DiarizationOptions(speakers=2)), ("estimated", DiarizationOptions())):
            turns = [Labelled(*t) for t in diarize(samples, regions, encoder, options)]
            print(f"{label}\t{count}\t{100 * diarization_error_rate(reference, turns, 0.25):.1f} % "
                  f"({100 * diarization_error_rate(reference, turns):.1f} %)\t{len({t.speaker for t in turns})}")


def speed(samples, encoder, minutes: float) -> None:
    long = np.tile(samples, int(np.ceil(minutes * 60 * 16000 / samples.size)))[: int(minutes * 60 * 16000)]
    timings = {}
    for name, audio in (("30 s sample", samples), (f"{minutes:g} min", long)):
        best, best_cpu = float("inf"), float("inf")
        for _ in range(3 if audio.size < 16000 * 120 else 1):
            started, started_cpu = time.perf_counter(), time.process_time()
            diarize(audio, energy_speech_regions(audio), encoder, DiarizationOptions())
            best = min(best, time.perf_counter() - started)
            best_cpu = min(best_cpu, time.process_time() - started_cpu)
        timings[name] = (audio.size / 16000, best, best_cpu)
    # CPU time too: on a shared machine the wall time counts other people's work.
    print(f"\nSpeed on one core (regions + fbank + embeddings + clustering + turns), load {os.getloadavg()[0]:.1f}")
    for name, (seconds, elapsed, cpu) in timings.items():
        print(f"{name}\t{elapsed:.2f} s wall\t{seconds / elapsed:.0f}× real time\t{elapsed / seconds * 3600:.0f} s per audio hour"
              f"\tCPU {cpu:.2f} s ({seconds / cpu:.0f}×)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="length of the speed run (the sample repeated)")
    args = parser.parse_args()
    assets = speaker_assets()
    samples = decode(assets.sample_wav)
    reference = parse_rttm(assets.sample_rttm.read_text())
    encoder = OnnxSpeakerEncoder(str(assets.encoder), threads=1)
    parity(samples, encoder)
    der(samples, reference, encoder)
    speed(samples, encoder, args.minutes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
