"""models:vad: the pinned Silero ONNX from PyPI, the URL path against a local HTTP server, and refusals."""
from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import onnx
import pytest

from models_real_fixtures import ROOT
from scripts.models.fetch import VerificationError, sha256_of
from scripts.models.vad.fetch import ensure_vad_model
from scripts.models.vad.sources import DEFAULT_VAD_MODEL, VAD_MODELS

MODEL = VAD_MODELS[DEFAULT_VAD_MODEL]


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scripts.models.vad", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture(scope="module")
def pypi_model(tmp_path_factory) -> Path:
    """The real file, fetched through the default path (the pinned PyPI wheel) into a fresh cache."""
    path, downloaded = ensure_vad_model(MODEL, tmp_path_factory.mktemp("pypi"), "pypi")
    assert downloaded
    return path


@pytest.fixture()
def served(tmp_path) -> Iterator[tuple[Path, str]]:
    """A local HTTP server over a folder: (folder, base URL)."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def test_the_pypi_file_is_the_pinned_silero_graph_with_state_and_16k_frames(pypi_model):
    assert sha256_of(pypi_model) == MODEL.sha256 and pypi_model.stat().st_size == MODEL.size
    graph = onnx.load(str(pypi_model)).graph
    assert [i.name for i in graph.input] == ["input", "state", "sr"]
    assert [o.name for o in graph.output] == ["output", "stateN"]
    state = graph.input[1].type.tensor_type.shape.dim
    assert (state[0].dim_value, state[2].dim_value) == (2, 128)


def test_a_cached_file_is_not_downloaded_again(pypi_model):
    before = pypi_model.stat().st_mtime_ns
    path, downloaded = ensure_vad_model(MODEL, pypi_model.parent, "pypi")
    assert (path, downloaded) == (pypi_model, False) and path.stat().st_mtime_ns == before


def test_the_url_source_downloads_and_verifies_from_a_server(pypi_model, served, tmp_path_factory):
    folder, base = served
    (folder / "silero_vad.onnx").write_bytes(pypi_model.read_bytes())
    cache = tmp_path_factory.mktemp("url")
    result = _cli("--source", "url", "--url", f"{base}/silero_vad.onnx", "--cache-dir", str(cache))
    assert result.returncode == 0, result.stderr
    name, fmt, path = result.stdout.strip().split("\t")
    assert (name, fmt, path) == (MODEL.name, "onnx", str(cache / MODEL.filename))
    assert sha256_of(Path(path)) == MODEL.sha256


def test_a_tampered_download_is_refused_and_leaves_nothing(pypi_model, served, tmp_path_factory):
    folder, base = served
    tampered = bytearray(pypi_model.read_bytes())
    tampered[1000] ^= 0xFF
    (folder / "silero_vad.onnx").write_bytes(bytes(tampered))
    cache = tmp_path_factory.mktemp("tampered")
    with pytest.raises(VerificationError, match="pinned"):
        ensure_vad_model(MODEL, cache, "url", f"{base}/silero_vad.onnx")
    assert list(cache.iterdir()) == []


def test_a_missing_file_on_the_server_fails_with_the_status_and_leaves_nothing(served, tmp_path_factory):
    _, base = served
    cache = tmp_path_factory.mktemp("missing")
    result = _cli("--source", "url", "--url", f"{base}/nothing.onnx", "--cache-dir", str(cache))
    assert result.returncode == 1 and result.stdout == ""
    assert "404" in result.stderr
    assert list(cache.iterdir()) == []


def test_unknown_model_or_source_is_refused_with_the_choices():
    result = _cli("--models", "silero-v9")
    assert result.returncode == 2 and f"available: {DEFAULT_VAD_MODEL}" in result.stderr
    result = _cli("--source", "ftp")
    assert result.returncode == 2 and "invalid choice" in result.stderr
