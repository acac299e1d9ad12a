"""CLI of `npm run models:vad`: python -m scripts.models.vad [--models silero-v6.2] [--formats onnx,ggml]
[--source auto|pypi|url] [--url U].

stdout: one `name<TAB>format<TAB>absolute path` line per model and format (the contract of models:real); progress
on stderr. ggml is whisper.cpp's VAD format, converted from the ONNX file by ggml_vad.py.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..fetch import VerificationError
from ..log import log
from .fetch import SOURCES, ensure_vad_model
from .ggml_vad import ConversionError, ensure_ggml_vad
from .sources import DEFAULT_VAD_MODEL, VAD_MODELS

FORMATS = ("onnx", "ggml")
DEFAULT_CACHE = Path(__file__).resolve().parents[3] / ".cache" / "models-vad"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="models:vad", description="Fetch pinned Silero VAD ONNX weights into the cache.")
    parser.add_argument("--models", default=DEFAULT_VAD_MODEL, help=f"comma-separated; available: {', '.join(VAD_MODELS)}")
    parser.add_argument("--formats", default="onnx", help="comma-separated: onnx, ggml (default onnx)")
    parser.add_argument("--source", choices=SOURCES, default="auto",
                        help="auto: the pinned PyPI wheel, else the official repository URL")
    parser.add_argument("--url", help="download from this URL (a mirror) instead of the official repository")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE, help=f"default {DEFAULT_CACHE}")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.models.split(",") if n.strip()]
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    unknown = [n for n in names if n not in VAD_MODELS]
    if unknown:
        parser.error(f"unknown model(s) {', '.join(unknown)}; available: {', '.join(VAD_MODELS)}")
    if [f for f in formats if f not in FORMATS]:
        parser.error(f"unknown format(s) in {args.formats}; formats: {', '.join(FORMATS)}")
    for name in names:
        model = VAD_MODELS[name]
        try:
            path, downloaded = ensure_vad_model(model, args.cache_dir.resolve(), args.source, args.url)
            if downloaded:
                log(f"{name}: downloaded and verified -> {path}")
            outputs = {"onnx": path}
            if "ggml" in formats:
                outputs["ggml"] = ensure_ggml_vad(model, path)
        except (VerificationError, ConversionError, OSError) as error:
            log(f"{name}: {error}")
            return 1
        for fmt in formats:
            print(f"{name}\t{fmt}\t{outputs[fmt]}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
