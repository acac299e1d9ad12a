"""Write whisper.cpp's legacy ggml model file (what our local engine loads) from OpenAI-named Whisper tensors.

Layout (little-endian, see /work/shared/STACK-NOTES.md "Whisper engine"): magic 0x67676d6c; 11 int32 hparams;
mel filterbank (int32 n_mel, int32 n_fft_bins, float32 data); vocab (int32 count, then uint32 length + bytes per
token, in rank order: whisper.cpp appends the special and timestamp tokens itself); then per tensor int32 n_dims,
int32 name length, int32 type (0 f32, 1 f16), int32 ne[] innermost first, name, raw data.
ftype 1 ("f16") keeps matrices and conv kernels in float16 and everything else (biases, norms, positional
embeddings) in float32, the types whisper.cpp's loader expects for that ftype.
"""
from __future__ import annotations

import base64
import struct
from pathlib import Path

import numpy as np

from .whisper_weights import WhisperDims

GGML_MAGIC = 0x67676D6C
FTYPE_F16 = 1
_F32_ALWAYS = {"encoder.positional_embedding", "decoder.positional_embedding"}


def read_tiktoken_ranks(path: Path) -> list[bytes]:
    """openai-whisper's *.tiktoken asset: one 'base64(token) rank' per line; returns tokens in rank order."""
    tokens: dict[int, bytes] = {}
    for line in Path(path).read_text().splitlines():
        if line:
            encoded, rank = line.split()
            tokens[int(rank)] = base64.b64decode(encoded)
    if sorted(tokens) != list(range(len(tokens))):
        raise ValueError(f"{path}: token ranks are not contiguous from 0")
    return [tokens[i] for i in range(len(tokens))]


def _stored(name: str, value: np.ndarray) -> tuple[np.ndarray, int]:
    """(data as written, ggml type): matrices and conv kernels f16, the rest f32."""
    if name.startswith("encoder.conv") and name.endswith(".bias"):
        # whisper.cpp reads conv biases as [1, n_state] (ggml order), in f32.
        return np.ascontiguousarray(value.reshape(-1, 1), dtype=np.float32), 0
    if value.ndim >= 2 and name not in _F32_ALWAYS:
        return np.ascontiguousarray(value, dtype=np.float16), 1
    return np.ascontiguousarray(value, dtype=np.float32), 0


def write_ggml(
    path: Path,
    dims: WhisperDims,
    tensors: dict[str, np.ndarray],
    mel_filters: np.ndarray,
    vocab: list[bytes],
) -> None:
    if dims.n_audio_state != dims.n_text_state:
        raise ValueError("whisper.cpp requires n_audio_state == n_text_state")
    if mel_filters.shape[0] != dims.n_mels:
        raise ValueError(f"mel filterbank has {mel_filters.shape[0]} bands, the model {dims.n_mels}")
    tmp = Path(f"{path}.partial")
    with open(tmp, "wb") as out:
        out.write(struct.pack("<I", GGML_MAGIC))
        hparams = (
            dims.n_vocab, dims.n_audio_ctx, dims.n_audio_state, dims.n_audio_head, dims.n_audio_layer,
            dims.n_text_ctx, dims.n_text_state, dims.n_text_head, dims.n_text_layer, dims.n_mels, FTYPE_F16,
        )
        out.write(struct.pack("<11i", *hparams))
        out.write(struct.pack("<2i", *mel_filters.shape))
        out.write(np.ascontiguousarray(mel_filters, dtype=np.float32).tobytes())
        out.write(struct.pack("<i", len(vocab)))
        for token in vocab:
            out.write(struct.pack("<I", len(token)))
            out.write(token)
        for name, value in tensors.items():
            data, ttype = _stored(name, value)
            encoded = name.encode("utf-8")
            out.write(struct.pack("<3i", data.ndim, len(encoded), ttype))
            out.write(struct.pack(f"<{data.ndim}i", *reversed(data.shape)))
            out.write(encoded)
            out.write(data.tobytes())
    tmp.replace(path)  # never leave a half-written model under the final name
