"""The real TransformersRuntime on a random-weight Whisper (built once per process, no download), and
synthetic audio. Cached functions rather than fixtures, so tests_gpu/ shares them."""
from __future__ import annotations

import functools
import io
import sys
import tempfile
import wave
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests"))

SR = 16_000


@functools.lru_cache(maxsize=None)
def model_dir(dims: str = "tiny") -> str:
    import torch

    from make_random_whisper import build

    folder = tempfile.mkdtemp(prefix=f"whisper-{dims}-")
    return build(folder, dims=dims, device="cuda" if torch.cuda.is_available() else "cpu")


@functools.lru_cache(maxsize=None)
def loaded_runtime(dims: str = "tiny", batch_size: int = 4, segment_timestamps: bool = True):
    from runtime.transformers_runtime import TransformersRuntime

    runtime = TransformersRuntime(
        locate=lambda: model_dir(dims),
        batch_size=batch_size,
        segment_timestamps=segment_timestamps,
        # Random weights rarely emit <|endoftext|>: cap the decode so the tests stay quick.
        generate_overrides={"max_new_tokens": 40},
    )
    runtime.load()
    return runtime


def speechlike(seconds: float, seed: int = 0) -> np.ndarray:
    """Bursts of modulated tones separated by pauses, so chunking finds silences."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * SR)) / SR
    envelope = (np.sin(2 * np.pi * 0.35 * t) > -0.3).astype(np.float32)
    carrier = np.sin(2 * np.pi * (180 + 40 * np.sin(2 * np.pi * 3 * t)) * t)
    return (0.3 * envelope * carrier + 0.01 * rng.standard_normal(t.size)).astype(np.float32)


def wav_bytes(audio: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SR)
        out.writeframes((np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes())
    return buffer.getvalue()
