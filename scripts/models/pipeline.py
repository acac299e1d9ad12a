"""models:real as a library: make every requested model exist in every requested format, reusing the cache.

Cache layout under <cache>/ (default .cache/models-real):
  ct2/<name>/            the CTranslate2 model as shipped (model.bin, config.json, tokenizer.json, vocabulary.txt)
  ggml/ggml-<name>.bin   whisper.cpp, f16
  hf/<name>/             transformers checkpoint (safetensors, float16)
  stamps/<name>.<format>.json   what a conversion was made from; a conversion is redone only when it changed
"""
from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from .assets import bpe_tokens, mel_filters
from .ct2_format import read_ct2_model
from .fetch import ensure_ct2
from .ggml_writer import write_ggml
from .hf_writer import write_hf
from .log import log
from .sources import REAL_MODELS, RealModel
from .whisper_weights import openai_state_dict

FORMATS = ("ggml", "hf", "ct2")
# Bump when a writer's output changes, so cached conversions are redone.
CONVERTER_VERSION = 3
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CACHE = REPO_ROOT / ".cache" / "models-real"


@dataclass(frozen=True)
class ModelOutput:
    name: str
    format: str
    path: Path

    def line(self) -> str:
        return f"{self.name}\t{self.format}\t{self.path}"


class _Paths:
    def __init__(self, cache: Path, name: str):
        self.ct2 = cache / "ct2" / name
        self.downloads = cache / "downloads"
        self.ggml = cache / "ggml" / f"ggml-{name}.bin"
        self.hf = cache / "hf" / name
        self.stamps = cache / "stamps"

    def output(self, fmt: str) -> Path:
        return {"ct2": self.ct2, "ggml": self.ggml, "hf": self.hf}[fmt]


def _source_digest(model: RealModel) -> str:
    return next(f.sha256 for f in model.files if f.name == "model.bin")


def _stamp_path(paths: _Paths, name: str, fmt: str) -> Path:
    return paths.stamps / f"{name}.{fmt}.json"


def _is_fresh(paths: _Paths, model: RealModel, fmt: str) -> bool:
    stamp = _stamp_path(paths, model.name, fmt)
    if not stamp.is_file() or not paths.output(fmt).exists():
        return False
    recorded = json.loads(stamp.read_text())
    if recorded.get("source_sha256") != _source_digest(model) or recorded.get("converter") != CONVERTER_VERSION:
        return False
    base = paths.output(fmt)
    return all(
        (base / rel if base.is_dir() else base).is_file() and (base / rel if base.is_dir() else base).stat().st_size == size
        for rel, size in recorded["files"].items()
    )


def _record(paths: _Paths, model: RealModel, fmt: str, seconds: float) -> None:
    out = paths.output(fmt)
    files = {p.relative_to(out).as_posix(): p.stat().st_size for p in sorted(out.rglob("*")) if p.is_file()} \
        if out.is_dir() else {out.name: out.stat().st_size}
    paths.stamps.mkdir(parents=True, exist_ok=True)
    stamp = {"source_sha256": _source_digest(model), "converter": CONVERTER_VERSION, "seconds": round(seconds, 2),
             "files": files}
    _stamp_path(paths, model.name, fmt).write_text(json.dumps(stamp, indent=2) + "\n")


def _convert(model: RealModel, paths: _Paths, fmt: str) -> None:
    ct2 = read_ct2_model(paths.ct2 / "model.bin")
    dims, tensors = openai_state_dict(ct2)
    if fmt == "ggml":
        paths.ggml.parent.mkdir(parents=True, exist_ok=True)
        write_ggml(paths.ggml, dims, tensors, mel_filters(dims.n_mels), bpe_tokens(dims.multilingual))
    else:
        staging = paths.hf.with_name(f".{paths.hf.name}.partial")
        shutil.rmtree(staging, ignore_errors=True)
        ct2_config = json.loads((paths.ct2 / "config.json").read_text())
        write_hf(staging, dims, tensors, paths.ct2 / "tokenizer.json", ct2_config)
        shutil.rmtree(paths.hf, ignore_errors=True)
        staging.rename(paths.hf)


def ensure_models(names: list[str], formats: list[str], cache: Path = DEFAULT_CACHE) -> list[ModelOutput]:
    """Every (model, format) asked for, downloaded/converted only when the cache lacks it; outputs in request order."""
    unknown = [n for n in names if n not in REAL_MODELS]
    if unknown:
        raise ValueError(f"unknown model(s) {', '.join(unknown)}; available: {', '.join(REAL_MODELS)}")
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise ValueError(f"unknown format(s) {', '.join(bad)}; formats: {', '.join(FORMATS)}")
    outputs: list[ModelOutput] = []
    for name in names:
        model, paths = REAL_MODELS[name], _Paths(cache, name)
        started = time.monotonic()
        if ensure_ct2(model, paths.ct2, paths.downloads):
            log(f"{name}: downloaded and verified in {time.monotonic() - started:.1f} s -> {paths.ct2}")
        for fmt in formats:
            if fmt != "ct2" and not _is_fresh(paths, model, fmt):
                started = time.monotonic()
                log(f"{name}: converting to {fmt}")
                _convert(model, paths, fmt)
                seconds = time.monotonic() - started
                _record(paths, model, fmt, seconds)
                log(f"{name}: {fmt} written in {seconds:.1f} s")
            outputs.append(ModelOutput(name, fmt, paths.output(fmt).resolve()))
    return outputs
