"""Rebuild Resemblyzer's encoder in torch from the pinned state dict and export it to ONNX, checked against torch.

Input `mels` float32 [batch, frames, 40] (power mel, not log: what Resemblyzer feeds it); output `embeddings` float32
[batch, 256], ReLU then L2-normalised (cosine similarity is a dot product).
"""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from .source import EMBEDDING, HIDDEN, LAYERS, MEL_BANDS

OPSET = 17
# Largest difference allowed between onnxruntime and torch on the same input (float32 LSTM, 3 layers).
MAX_ABS_DIFF = 1e-4


def _encoder(state: dict):
    import torch
    from torch import nn

    class SpeakerEncoder(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.lstm = nn.LSTM(MEL_BANDS, HIDDEN, LAYERS, batch_first=True)
            self.linear = nn.Linear(HIDDEN, EMBEDDING)

        def forward(self, mels: torch.Tensor) -> torch.Tensor:
            _, (hidden, _) = self.lstm(mels)
            raw = torch.relu(self.linear(hidden[-1]))
            return raw / torch.linalg.vector_norm(raw, dim=1, keepdim=True).clamp_min(1e-12)

    model = SpeakerEncoder()
    # The checkpoint also holds GE2E's training-only similarity scale/bias; everything the encoder needs must be there.
    wanted = {k: v for k, v in state.items() if k.startswith(("lstm.", "linear."))}
    model.load_state_dict(wanted, strict=True)
    return model.eval()


def load_state(pretrained: Path) -> dict:
    import torch

    checkpoint = torch.load(pretrained, map_location="cpu", weights_only=True)
    return checkpoint["model_state"]


def export(pretrained: Path, out_path: Path) -> float:
    """Write the ONNX file; returns the largest |onnx - torch| seen on the check batch."""
    import onnxruntime
    import torch

    model = _encoder(load_state(pretrained))
    example = torch.rand(2, 160, MEL_BANDS)
    buffer = io.BytesIO()
    torch.onnx.export(
        model, (example,), buffer, input_names=["mels"], output_names=["embeddings"], opset_version=OPSET,
        dynamic_axes={"mels": {0: "batch", 1: "frames"}, "embeddings": {0: "batch"}}, dynamo=False,
    )
    data = buffer.getvalue()
    # Check on a batch and a length other than the export example: the dynamic axes must really be dynamic.
    rng = np.random.default_rng(7)
    check = (rng.random((3, 203, MEL_BANDS), dtype=np.float32) * 4.0).astype(np.float32)
    with torch.no_grad():
        expected = model(torch.from_numpy(check)).numpy()
    session = onnxruntime.InferenceSession(data, providers=["CPUExecutionProvider"])
    actual = session.run(["embeddings"], {"mels": check})[0]
    diff = float(np.max(np.abs(actual - expected)))
    if diff > MAX_ABS_DIFF:
        raise RuntimeError(f"ONNX export differs from torch by {diff:.2e} (> {MAX_ABS_DIFF:.0e})")
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(f".{out_path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(out_path)
    return diff
