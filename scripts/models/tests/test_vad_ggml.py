"""ggml_vad.py: our ONNX → whisper.cpp VAD converter against whisper.cpp's own converter (PyTorch JIT → ggml)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import helper, numpy_helper

from models_real_fixtures import ROOT
from scripts.models.fetch import sha256_of
from scripts.models.vad.ggml_vad import ConversionError, write_ggml_vad
from scripts.models.vad.sources import DEFAULT_VAD_MODEL, VAD_MODELS

MODEL = VAD_MODELS[DEFAULT_VAD_MODEL]
UPSTREAM = ROOT / "node_modules/nodejs-whisper/cpp/whisper.cpp/models/convert-silero-vad-to-ggml.py"


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scripts.models.vad", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture(scope="module")
def onnx_file() -> Path:
    result = _cli()
    assert result.returncode == 0, result.stderr
    return Path(result.stdout.strip().split("\t")[2])


def test_the_conversion_is_byte_identical_to_whisper_cpps_converter_on_the_same_release(onnx_file, tmp_path):
    # whisper.cpp's script loads silero-vad's PyTorch JIT model (the same release, 6.2.3) and names the output itself.
    upstream = subprocess.run([sys.executable, str(UPSTREAM), "--output", str(tmp_path / "upstream.bin")],
                              capture_output=True, text=True, timeout=300)
    assert upstream.returncode == 0, upstream.stderr
    ours = tmp_path / "ours.bin"
    write_ggml_vad(onnx_file, ours, MODEL.ggml_version)
    assert ours.read_bytes() == (tmp_path / "upstream-v6.2.3-ggml.bin").read_bytes()
    assert sha256_of(ours) == MODEL.ggml_sha256


def test_the_cli_prints_both_formats_and_reuses_the_pinned_ggml_file(onnx_file):
    first = _cli("--formats", "onnx,ggml")
    assert first.returncode == 0, first.stderr
    lines = [line.split("\t") for line in first.stdout.splitlines()]
    assert [(name, fmt) for name, fmt, _ in lines] == [(MODEL.name, "onnx"), (MODEL.name, "ggml")]
    ggml = Path(lines[1][2])
    assert sha256_of(ggml) == MODEL.ggml_sha256
    before = ggml.stat().st_mtime_ns
    again = _cli("--formats", "ggml")
    assert again.returncode == 0 and "converting" not in again.stderr
    assert ggml.stat().st_mtime_ns == before


def test_a_graph_that_is_not_silero_is_refused_and_writes_nothing(tmp_path):
    weight = numpy_helper.from_array(np.ones((4, 4), dtype=np.float32), "w")
    graph = helper.make_graph([helper.make_node("MatMul", ["x", "w"], ["y"])], "not-silero",
                              [helper.make_tensor_value_info("x", onnx.TensorProto.FLOAT, [1, 4])],
                              [helper.make_tensor_value_info("y", onnx.TensorProto.FLOAT, [1, 4])], [weight])
    path = tmp_path / "other.onnx"
    onnx.save(helper.make_model(graph), str(path))
    with pytest.raises(ConversionError, match="no 16 kHz branch"):
        write_ggml_vad(path, tmp_path / "out.bin", (6, 2, 3))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.onnx"]


def test_an_unknown_format_is_refused():
    result = _cli("--formats", "gguf")
    assert result.returncode == 2 and "formats: onnx, ggml" in result.stderr
