"""Whisper weights out of a CTranslate2 WhisperSpec, under OpenAI's own tensor names (the names whisper.cpp reads).

CTranslate2 stores self-attention q/k/v as one fused matrix (and cross-attention k/v as another), with a zero bias
for the key projection, which Whisper does not have. Splitting them back gives OpenAI's checkpoint layout, from which
both the ggml and the Hugging Face writers work.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .ct2_format import Ct2FormatError, Ct2Model


@dataclass(frozen=True)
class WhisperDims:
    n_mels: int
    n_vocab: int
    n_audio_ctx: int
    n_audio_state: int
    n_audio_head: int
    n_audio_layer: int
    n_text_ctx: int
    n_text_state: int
    n_text_head: int
    n_text_layer: int

    @property
    def multilingual(self) -> bool:
        # OpenAI's English-only models have 51864 tokens; multilingual ones 51865 (large-v3: 51866).
        return self.n_vocab >= 51865


def _count_layers(model: Ct2Model, prefix: str) -> int:
    n = 0
    while f"{prefix}/layer_{n}/ffn/linear_0/weight" in model.variables:
        n += 1
    return n


def whisper_dims(model: Ct2Model) -> WhisperDims:
    if model.spec != "WhisperSpec":
        raise Ct2FormatError(f"expected a WhisperSpec model, got {model.spec}")
    conv1 = model.get("encoder/conv1/weight")
    audio_pos = model.get("encoder/position_encodings/encodings")
    text_pos = model.get("decoder/position_encodings/encodings")
    return WhisperDims(
        n_mels=conv1.shape[1],
        n_vocab=model.get("decoder/embeddings/weight").shape[0],
        n_audio_ctx=audio_pos.shape[0],
        n_audio_state=audio_pos.shape[1],
        n_audio_head=model.scalar("encoder/num_heads"),
        n_audio_layer=_count_layers(model, "encoder"),
        n_text_ctx=text_pos.shape[0],
        n_text_state=text_pos.shape[1],
        n_text_head=model.scalar("decoder/num_heads"),
        n_text_layer=_count_layers(model, "decoder"),
    )


def _split(model: Ct2Model, name: str, parts: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
    weights = np.split(model.get(f"{name}/weight"), parts, axis=0)
    biases = np.split(model.get(f"{name}/bias"), parts, axis=0)
    return weights, biases


def _zero_key_bias(bias: np.ndarray, where: str) -> None:
    if np.any(bias != 0):
        raise Ct2FormatError(f"{where}: the key projection has a non-zero bias, which Whisper does not have")


def _attention(model: Ct2Model, src: str, dst: str, cross: bool) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    if cross:
        (q_w,), (q_b,) = _split(model, f"{src}/linear_0", 1)
        (k_w, v_w), (k_b, v_b) = _split(model, f"{src}/linear_1", 2)
        out_name = f"{src}/linear_2"
    else:
        (q_w, k_w, v_w), (q_b, k_b, v_b) = _split(model, f"{src}/linear_0", 3)
        out_name = f"{src}/linear_1"
    _zero_key_bias(k_b, src)
    out[f"{dst}.query.weight"] = q_w
    out[f"{dst}.query.bias"] = q_b
    out[f"{dst}.key.weight"] = k_w
    out[f"{dst}.value.weight"] = v_w
    out[f"{dst}.value.bias"] = v_b
    out[f"{dst}.out.weight"] = model.get(f"{out_name}/weight")
    out[f"{dst}.out.bias"] = model.get(f"{out_name}/bias")
    out[f"{dst}_ln.weight"] = model.get(f"{src}/layer_norm/gamma")
    out[f"{dst}_ln.bias"] = model.get(f"{src}/layer_norm/beta")
    return out


def _mlp(model: Ct2Model, src: str, dst: str) -> dict[str, np.ndarray]:
    return {
        f"{dst}.mlp.0.weight": model.get(f"{src}/ffn/linear_0/weight"),
        f"{dst}.mlp.0.bias": model.get(f"{src}/ffn/linear_0/bias"),
        f"{dst}.mlp.2.weight": model.get(f"{src}/ffn/linear_1/weight"),
        f"{dst}.mlp.2.bias": model.get(f"{src}/ffn/linear_1/bias"),
        f"{dst}.mlp_ln.weight": model.get(f"{src}/ffn/layer_norm/gamma"),
        f"{dst}.mlp_ln.bias": model.get(f"{src}/ffn/layer_norm/beta"),
    }


def openai_state_dict(model: Ct2Model) -> tuple[WhisperDims, dict[str, np.ndarray]]:
    """OpenAI-named tensors in OpenAI's state_dict order (the order whisper.cpp's converters write)."""
    dims = whisper_dims(model)
    if model.scalar("decoder/activation") != 3 or model.scalar("decoder/pre_norm") != 1:
        raise Ct2FormatError("not a standard Whisper decoder (GELU, pre-norm) — refusing to convert")
    sd: dict[str, np.ndarray] = {"encoder.positional_embedding": model.get("encoder/position_encodings/encodings")}
    for conv in ("conv1", "conv2"):
        sd[f"encoder.{conv}.weight"] = model.get(f"encoder/{conv}/weight")
        sd[f"encoder.{conv}.bias"] = model.get(f"encoder/{conv}/bias")
    for i in range(dims.n_audio_layer):
        src, dst = f"encoder/layer_{i}", f"encoder.blocks.{i}"
        sd.update(_attention(model, f"{src}/self_attention", f"{dst}.attn", cross=False))
        sd.update(_mlp(model, src, dst))
    sd["encoder.ln_post.weight"] = model.get("encoder/layer_norm/gamma")
    sd["encoder.ln_post.bias"] = model.get("encoder/layer_norm/beta")
    sd["decoder.positional_embedding"] = model.get("decoder/position_encodings/encodings")
    sd["decoder.token_embedding.weight"] = model.get("decoder/embeddings/weight")
    for i in range(dims.n_text_layer):
        src, dst = f"decoder/layer_{i}", f"decoder.blocks.{i}"
        sd.update(_attention(model, f"{src}/self_attention", f"{dst}.attn", cross=False))
        sd.update(_attention(model, f"{src}/attention", f"{dst}.cross_attn", cross=True))
        sd.update(_mlp(model, src, dst))
    sd["decoder.ln.weight"] = model.get("decoder/layer_norm/gamma")
    sd["decoder.ln.bias"] = model.get("decoder/layer_norm/beta")
    projection = model.variables.get("decoder/projection/weight")
    if projection is not None and not np.array_equal(projection, sd["decoder.token_embedding.weight"]):
        raise Ct2FormatError("output projection differs from the token embedding; Whisper ties them")
    return dims, sd
