"""CLI of `npm run models:speaker`: python -m scripts.models.speaker [--cache-dir DIR].
stdout: one 'ge2e-resemblyzer<TAB>onnx<TAB>absolute path' line; progress goes to stderr."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..pipeline import DEFAULT_CACHE
from .fetch import NAME, ensure_speaker_encoder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="models:speaker", description="Fetch and export the diarization speaker encoder.")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE, help=f"default {DEFAULT_CACHE}")
    args = parser.parse_args(argv)
    path = ensure_speaker_encoder(args.cache_dir.resolve())
    print(f"{NAME}\tonnx\t{path}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
