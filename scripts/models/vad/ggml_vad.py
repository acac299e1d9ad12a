"""Silero VAD ONNX → whisper.cpp's ggml VAD file (what `whisper_vad_init_from_file_with_params` reads).

Layout (little-endian, written like whisper.cpp's models/convert-silero-vad-to-ggml.py, which starts from the
PyTorch JIT model instead): magic 0x67676d6c; len-prefixed model type "silero-16k"; int32 version major, minor,
patch; window 512; context 64; 4 encoder layers × (in, out, kernel); LSTM in/hidden 128/128; final conv 128 → 1;
then tensors (int32 n_dims, name length, ftype; int32 dims innermost first; name; data), conv weights float16.

The ONNX graph holds both sample rates inside one If node; the 16 kHz branch is the one whose STFT basis is
(258, 1, 256). Its Constant nodes hold the weights in module order, matched here by shape (a file whose constants
do not match fails, never writes a partial model).
"""
from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper

from ..fetch import VerificationError, sha256_of
from ..log import log
from .sources import VadModel

MAGIC = 0x67676D6C
ENCODER = ((129, 128), (128, 64), (64, 64), (64, 128))
KERNEL = 3
# (state-dict name, shape) of the 16 kHz model in the order its Constant nodes appear.
_EXPECTED: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("_model.stft.forward_basis_buffer", (258, 1, 256)),
    *(
        pair
        for i, (cin, cout) in enumerate(ENCODER)
        for pair in ((f"_model.encoder.{i}.reparam_conv.weight", (cout, cin, KERNEL)),
                     (f"_model.encoder.{i}.reparam_conv.bias", (cout,)))
    ),
    ("_model.decoder.rnn.weight_ih", (512, 128)),
    ("_model.decoder.rnn.weight_hh", (512, 128)),
    ("_model.decoder.rnn.bias_ih", (512,)),
    ("_model.decoder.rnn.bias_hh", (512,)),
    ("_model.decoder.decoder.2.weight", (1, 128, 1)),
    ("_model.decoder.decoder.2.bias", (1,)),
)
# The order whisper.cpp's loader expects them in the file.
_FILE_ORDER = tuple(name for name, _ in _EXPECTED[1:]) + (_EXPECTED[0][0],)


class ConversionError(ValueError):
    """The ONNX file is not the Silero v5/v6 graph this converter knows."""


def _float_constants(graph: onnx.GraphProto) -> list[np.ndarray]:
    out = [numpy_helper.to_array(t) for t in graph.initializer if t.data_type == onnx.TensorProto.FLOAT]
    for node in graph.node:
        for attribute in node.attribute:
            if node.op_type == "Constant" and attribute.type == onnx.AttributeProto.TENSOR \
                    and attribute.t.data_type == onnx.TensorProto.FLOAT:
                out.append(numpy_helper.to_array(attribute.t))
    return out


def silero_16k_tensors(onnx_path: Path) -> dict[str, np.ndarray]:
    """The 16 kHz model's weights from the ONNX file, under the names of the PyTorch state dict."""
    graph = onnx.load(str(onnx_path)).graph
    branches = [attribute.g for node in graph.node if node.op_type == "If" for attribute in node.attribute
                if attribute.type == onnx.AttributeProto.GRAPH]
    for branch in branches or [graph]:
        constants = _float_constants(branch)
        if not any(c.shape == _EXPECTED[0][1] for c in constants):
            continue
        tensors: dict[str, np.ndarray] = {}
        position = 0
        for name, shape in _EXPECTED:
            while position < len(constants) and constants[position].shape != shape:
                position += 1
            if position == len(constants):
                raise ConversionError(f"{onnx_path}: no constant of shape {shape} for {name}")
            tensors[name] = constants[position]
            position += 1
        return tensors
    raise ConversionError(f"{onnx_path}: no 16 kHz branch (an STFT basis of shape {_EXPECTED[0][1]})")


def write_ggml_vad(onnx_path: Path, out_path: Path, version: tuple[int, int, int]) -> None:
    tensors = silero_16k_tensors(onnx_path)
    partial = out_path.with_name(f".{out_path.name}.partial")
    with open(partial, "wb") as out:
        model_type = b"silero-16k"
        out.write(struct.pack("<ii", MAGIC, len(model_type)) + model_type)
        out.write(struct.pack("<iii", *version))
        out.write(struct.pack("<iii", 512, 64, len(ENCODER)))
        for cin, cout in ENCODER:
            out.write(struct.pack("<iii", cin, cout, KERNEL))
        out.write(struct.pack("<iiii", 128, 128, 128, 1))
        for name in _FILE_ORDER:
            data = tensors[name]
            if name == "_model.stft.forward_basis_buffer":
                shape = [data.shape[2], data.shape[1], data.shape[0]]
                half = True
            else:
                data = data.squeeze()
                shape = list(reversed(data.shape))
                half = name.endswith("weight") and ("encoder" in name or "decoder.decoder.2" in name)
            data = data.astype(np.float16 if half else np.float32)
            encoded = name.encode()
            out.write(struct.pack("<iii", len(shape), len(encoded), 1 if half else 0))
            out.write(struct.pack(f"<{len(shape)}i", *shape))
            out.write(encoded)
            out.write(data.astype(data.dtype.newbyteorder("<")).tobytes())
    partial.replace(out_path)


def ensure_ggml_vad(model: VadModel, onnx_path: Path) -> Path:
    """The ggml file beside the ONNX one, converted when missing or not the pinned bytes."""
    target = onnx_path.with_name(model.ggml_filename)
    if target.is_file() and sha256_of(target) == model.ggml_sha256:
        return target
    log(f"{model.name}: converting to ggml")
    write_ggml_vad(onnx_path, target, model.ggml_version)
    actual = sha256_of(target)
    if actual != model.ggml_sha256:
        target.unlink()
        raise VerificationError(f"{target.name}: sha256 {actual}, pinned {model.ggml_sha256}")
    return target
