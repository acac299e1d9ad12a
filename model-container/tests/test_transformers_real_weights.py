"""The real TransformersRuntime on real Whisper weights (Hugging Face format from `npm run models:real`):
tiny.en, and the multilingual base for language detection and translation. Fails, never skips, when the
weights cannot be had: a real-weights test that quietly ran on nothing proves nothing."""
import functools
import re
import subprocess
from pathlib import Path

import numpy as np

from app.result_format import to_wire_result
from runtime.protocol import OptionNotSupported, TranscribeOptions
from runtime.task_router import TaskRouter
from runtime.transformers_runtime import TransformersRuntime

REPO = Path(__file__).resolve().parents[2]
JFK = REPO / "node_modules/nodejs-whisper/cpp/whisper.cpp/bindings/go/samples/jfk.wav"
JFK_WORDS = "and so my fellow americans ask not what your country can do for you ask what you can do for your country"


@functools.lru_cache(maxsize=None)
def real_runtime(name: str) -> TransformersRuntime:
    done = subprocess.run(
        ["node", str(REPO / "scripts/models-real.mjs"), "--models", name, "--formats", "hf"],
        cwd=REPO, capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    lines = [line.split("\t") for line in done.stdout.splitlines()]
    paths = [parts[2] for parts in lines if len(parts) == 3 and parts[:2] == [name, "hf"]]
    assert done.returncode == 0 and paths, f"npm run models:real gave no {name} hf model:\n{done.stdout}\n{done.stderr}"
    runtime = TransformersRuntime(locate=lambda: paths[0], device="cpu", batch_size=4)
    runtime.load()
    return runtime


@functools.lru_cache(maxsize=None)
def jfk() -> np.ndarray:
    pcm = subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-i", str(JFK), "-f", "f32le", "-ac", "1", "-ar", "16000", "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    return np.frombuffer(pcm, np.float32)


def words_of(text: str) -> str:
    return " ".join(re.findall(r"[a-z']+", text.lower()))


def test_tiny_en_transcribes_jfk_with_word_timestamps():
    runtime = real_runtime("tiny.en")
    assert not runtime.multilingual
    result = runtime.transcribe(jfk(), TranscribeOptions(language="en", word_timestamps=True))
    assert words_of(result["text"]) == JFK_WORDS
    words = [w for s in result["segments"] for w in s["words"]]
    assert words_of(" ".join(w["word"] for w in words)) == JFK_WORDS
    starts = [w["start"] for w in words]
    assert starts == sorted(starts) and starts[-1] < 11.0
    country = [w for w in words if words_of(w["word"]) == "country"]
    assert len(country) == 2 and 5.0 < country[0]["start"] < 8.0 and 8.5 < country[1]["start"] < 11.0


def test_tiny_en_long_audio_keeps_every_word_once_across_chunks():
    pause = np.zeros(16_000 * 3, np.float32)
    audio = np.concatenate([jfk(), pause] * 3)  # 42 s: two or more chunks
    result = real_runtime("tiny.en").transcribe(audio, TranscribeOptions(language="en"))
    text = words_of(result["text"])
    assert text.count("fellow americans") == 3 and text.count("for your country") == 3, text
    starts = [s["start"] for s in result["segments"]]
    assert starts == sorted(starts) and any(s >= 28.0 for s in starts)
    # On the wire, segments joined with "" (as the API joins VAD chunks) give the text back, spaces included.
    wire = to_wire_result(result, len(audio) / 16_000, want_words=False)
    assert len(wire["segments"]) >= 3
    assert "".join(s["text"] for s in wire["segments"]).strip() == wire["text"]


def test_tiny_en_refuses_other_languages_and_translation():
    runtime = real_runtime("tiny.en")
    for options in (TranscribeOptions(language="de"), TranscribeOptions(language="de", task="translate")):
        try:
            TaskRouter(runtime, None, allow_untrained=False).transcribe(jfk()[:16_000], options)
            raise AssertionError(f"tiny.en accepted {options}")
        except OptionNotSupported:
            pass


def test_base_detects_english_and_routes_translation_to_itself():
    runtime = real_runtime("base")
    assert runtime.multilingual and runtime.translation_trained
    detected = runtime.transcribe(jfk(), TranscribeOptions())
    assert detected["language"] == "en" and "fellow americans" in words_of(detected["text"])
    translated = TaskRouter(runtime, None, allow_untrained=False).transcribe(jfk(), TranscribeOptions(language="en", task="translate"))
    assert translated["language"] == "en" and "your country" in words_of(translated["text"])
