#!/usr/bin/env python3
"""Throughput of the model container's TransformersRuntime against the plain transformers
pipeline("automatic-speech-recognition"), same model, same GPU, same run.

Model: Whisper large-v3-turbo dimensions (d_model 1280, 32 encoder / 4 decoder layers, 20 heads,
128 mels, 51866 tokens) with random weights, built locally (no download), fp16 + SDPA.
Work per 30 s window is fixed: both sides decode exactly --tokens tokens (min = max new tokens),
so the comparison measures chunking, batching and overhead, not what random weights babble.
Figure of merit: audio seconds transcribed per wall-clock second, for batch sizes 1, 4, 8, 16;
the ratio (runtime / pipeline) is what this benchmark is judged by.

Run on a GPU machine with torch + transformers (from the repo root):
    python bench/model-container-gpu.py            # ~3-5 min on an H100
    python bench/model-container-gpu.py --audio-seconds 480 --repeats 3
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1] / "model-container"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

SR = 16_000


def speechlike(seconds: float, seed: int = 0) -> np.ndarray:
    """Tone bursts with pauses (so the runtime's silence-aware cuts have something to find)."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * SR)) / SR
    envelope = (np.sin(2 * np.pi * 0.35 * t) > -0.3).astype(np.float32)
    carrier = np.sin(2 * np.pi * (180 + 40 * np.sin(2 * np.pi * 3 * t)) * t)
    return (0.3 * envelope * carrier + 0.01 * rng.standard_normal(t.size)).astype(np.float32)


def timed(fn, repeats: int, torch) -> float:
    fn()  # warm-up: kernels, allocator, pipeline workers
    torch.cuda.synchronize()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        torch.cuda.synchronize()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def make_pipeline(runtime, batch_size: int, torch):
    import transformers
    from transformers import pipeline

    from runtime.transformers_runtime import dtype_keyword

    processor = runtime.processor
    extractor = getattr(processor, "feature_extractor", None) or getattr(processor, "audio_processor", None)
    return pipeline(
        "automatic-speech-recognition",
        model=runtime.model,
        tokenizer=processor.tokenizer,
        feature_extractor=extractor,
        chunk_length_s=30,
        batch_size=batch_size,
        device=runtime.device,
        **{dtype_keyword(transformers.__version__): torch.float16},
    )


def require_cuda_stack():
    """torch and transformers, or exit non-zero saying which prerequisite is missing (never a green run without a GPU)."""
    try:
        import torch
        import transformers
    except ImportError as error:
        sys.exit(f"model-container-gpu: {error.name} is not installed: pip install -r model-container/requirements-torch.txt "
                 "-r model-container/requirements-model.txt")  # fmt: skip
    if not torch.cuda.is_available():
        sys.exit(f"model-container-gpu: no CUDA device visible to torch {torch.__version__} (CUDA build: {torch.version.cuda}); "
                 "this benchmark runs on an NVIDIA GPU machine")  # fmt: skip
    return torch, transformers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--audio-seconds", type=float, default=480.0)
    parser.add_argument("--tokens", type=int, default=100, help="decoded tokens per 30 s window")
    parser.add_argument("--batch-sizes", default="1,4,8,16")
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()

    torch, transformers = require_cuda_stack()

    from make_random_whisper import build
    from runtime.chunking import plan_chunks
    from runtime.protocol import TranscribeOptions
    from runtime.transformers_runtime import TransformersRuntime

    model_dir = build(tempfile.mkdtemp(prefix="whisper-turbo-random-"), dims="turbo", device="cuda")
    fixed = {"min_new_tokens": args.tokens, "max_new_tokens": args.tokens}
    # Timestamps off on both sides: with them, generate() re-decodes from the last timestamp and
    # the work per window would depend on what the random weights emit.
    runtime = TransformersRuntime(locate=lambda: model_dir, device="cuda", dtype="float16",
                                  segment_timestamps=False, generate_overrides=fixed)  # fmt: skip
    runtime.load()
    audio = speechlike(args.audio_seconds)
    options = TranscribeOptions(language="en")
    pipeline_kwargs = {"generate_kwargs": {"language": "en", "task": "transcribe", **fixed}, "return_timestamps": False}

    print(f"GPU: {torch.cuda.get_device_name(0)} | torch {torch.__version__} | transformers {transformers.__version__}")
    print(f"model: random weights, large-v3-turbo dims, fp16 + SDPA | audio {args.audio_seconds:.0f} s | "
          f"{args.tokens} tokens per window | median of {args.repeats} runs after a warm-up")  # fmt: skip
    print(f"windows decoded: runtime {len(plan_chunks(audio))} (cuts at pauses, no overlap); "
          "pipeline: 30 s windows advancing 20 s (its default 5 s stride on each side)")  # fmt: skip
    print()
    print(f"{'batch':>5} | {'runtime s':>9} | {'runtime audio-s/s':>17} | {'pipeline s':>10} | {'pipeline audio-s/s':>18} | {'ratio':>5}")
    print("-" * 80)
    ratios = []
    for batch_size in (int(b) for b in args.batch_sizes.split(",")):
        runtime.batch_size = batch_size
        ours = timed(lambda: runtime.transcribe(audio, options), args.repeats, torch)
        pipe = make_pipeline(runtime, batch_size, torch)
        theirs = timed(lambda: pipe({"raw": audio, "sampling_rate": SR}, **pipeline_kwargs), args.repeats, torch)
        ratio = theirs / ours
        ratios.append(ratio)
        print(f"{batch_size:>5} | {ours:>9.2f} | {args.audio_seconds / ours:>17.1f} | {theirs:>10.2f} | "
              f"{args.audio_seconds / theirs:>18.1f} | {ratio:>5.2f}")  # fmt: skip
    geometric = float(np.exp(np.mean(np.log(ratios))))
    print("-" * 80)
    print(f"ratio (runtime throughput / pipeline throughput), geometric mean over batch sizes: {geometric:.2f}x")


if __name__ == "__main__":
    main()
