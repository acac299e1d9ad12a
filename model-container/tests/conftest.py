"""Shared fixtures: real speech fixtures in six formats (espeak-ng + ffmpeg, made once per
session), and app factories around the fake runtime."""
from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path
from typing import Dict

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from runtime.fake_runtime import FakeRuntime
from runtime.task_router import TaskRouter
from settings import Settings

SPEECH_TEXT = "The quick brown fox jumps over the lazy dog. Then it rests in the shade."
# name -> ffmpeg output arguments; the names are the container formats the API accepts.
FORMATS = {
    "wav": ["-c:a", "pcm_s16le"],
    "mp3": ["-c:a", "libmp3lame", "-b:a", "64k"],
    "m4a": ["-c:a", "aac", "-b:a", "64k"],
    "flac": ["-c:a", "flac"],
    "ogg": ["-c:a", "libopus", "-b:a", "32k"],
    "webm": ["-c:a", "libopus", "-b:a", "32k"],
}


def _run(command):
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@pytest.fixture(scope="session")
def audio_files(tmp_path_factory) -> Dict[str, Path]:
    for tool in ("espeak-ng", "ffmpeg"):
        if shutil.which(tool) is None:
            raise RuntimeError(f"{tool} is required for the tests: apt-get install -y espeak-ng ffmpeg")
    folder = tmp_path_factory.mktemp("audio")
    spoken = folder / "spoken.wav"
    _run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(spoken), SPEECH_TEXT])
    files = {}
    for name, codec in FORMATS.items():
        target = folder / f"speech.{name}"
        _run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", str(spoken), "-ar", "16000", "-ac", "1", *codec, str(target)])
        files[name] = target
    text = folder / "notes.txt"
    text.write_text("this is not audio, just some text\n" * 20)
    files["text"] = text
    return files


def make_settings(**overrides) -> Settings:
    base = dict(runtime="fake", inference_timeout_s=10.0, queue_timeout_s=0.5, max_queued_requests=2)
    base.update(overrides)
    return Settings(**base)


def make_client(runtime=None, **overrides) -> TestClient:
    runtime = runtime or TaskRouter(FakeRuntime(), None, allow_untrained=False)
    app = create_app(make_settings(**overrides), runtime=runtime)
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def client():
    with make_client() as test_client:  # entering runs startup: the fake model loads at once
        wait_until_ready(test_client)
        yield test_client


def wait_until_ready(test_client: TestClient, timeout_s: float = 5.0) -> None:
    wait_for_status(test_client, "ready", timeout_s)


def wait_for_status(test_client: TestClient, status: str, timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if test_client.get("/ping").json()["status"] == status:
            return
        time.sleep(0.01)
    raise AssertionError(f"/ping never reported {status!r}")


@pytest.fixture
def real_client():
    """The app on the real TransformersRuntime with a random-weight tiny Whisper (loaded once per session)."""
    from runtime_support import loaded_runtime

    with make_client(TaskRouter(loaded_runtime(), None, allow_untrained=False)) as test_client:
        wait_until_ready(test_client)
        yield test_client
