"""The converted ggml file, run by our compiled whisper.cpp, decodes JFK greedily to the same tokens as
faster-whisper on the CTranslate2 weights it came from."""
from __future__ import annotations

import difflib
import json
import subprocess

import pytest

from models_real_fixtures import JFK, JFK_TEXT, words
from models_real_fixtures import real_models, whisper_cli  # noqa: F401 (fixtures)
from scripts.models.sources import REAL_MODELS


def whisper_cpp_greedy(cli, model, out_prefix) -> tuple[list[int], str]:
    # Greedy, no temperature fallback, no timestamp tokens, non-speech tokens suppressed: faster-whisper's settings below.
    subprocess.run(
        [str(cli), "-m", str(model), "-f", str(JFK), "-t", "2", "-l", "en", "-bs", "1", "-bo", "1", "-nf", "-nt",
         "-sns", "-np", "-ojf", "-of", str(out_prefix)],
        check=True, capture_output=True, timeout=300,
    )
    result = json.loads(out_prefix.with_suffix(".json").read_text())
    segments = result["transcription"]
    tokens = [t["id"] for s in segments for t in s["tokens"] if not t["text"].startswith("[_")]
    return tokens, "".join(s["text"] for s in segments)


def faster_whisper_greedy(ct2_dir) -> tuple[list[int], str]:
    from faster_whisper import WhisperModel

    model = WhisperModel(str(ct2_dir), device="cpu", compute_type="float32", cpu_threads=2)
    segments, _ = model.transcribe(
        str(JFK), language="en", beam_size=1, best_of=1, temperature=0.0, without_timestamps=True,
        condition_on_previous_text=False, vad_filter=False,
    )
    segments = list(segments)
    return [t for s in segments for t in s.tokens], "".join(s.text for s in segments)


def token_agreement(a: list[int], b: list[int]) -> float:
    """Matched tokens over the longer sequence (1.0 = identical)."""
    matched = sum(block.size for block in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_matching_blocks())
    return matched / max(len(a), len(b), 1)


@pytest.mark.parametrize("name", list(REAL_MODELS))
def test_ggml_greedy_tokens_match_faster_whisper(name, real_models, whisper_cli, tmp_path):
    cpp_tokens, cpp_text = whisper_cpp_greedy(whisper_cli, real_models[(name, "ggml")], tmp_path / "jfk")
    fw_tokens, fw_text = faster_whisper_greedy(real_models[(name, "ct2")])
    print(f"\n{name} whisper.cpp: {cpp_text!r}\n{name} faster-whisper: {fw_text!r}")
    agreement = token_agreement(cpp_tokens, fw_tokens)
    print(f"{name} token agreement {agreement:.3f} ({len(cpp_tokens)} vs {len(fw_tokens)} tokens)")
    assert words(fw_text) == words(JFK_TEXT)
    # Same words. tiny.en differs by one comma: CTranslate2 fed the HF processor's features writes it too, so it
    # is a near-tie decided by the feature extraction (faster-whisper's own), not by the converted weights.
    assert words(cpp_text) == words(fw_text)
    assert agreement >= 0.95
