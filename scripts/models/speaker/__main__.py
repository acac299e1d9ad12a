"""CLI of `npm run models:speaker`: python -m scripts.models.speaker [--cache-dir DIR].
stdout: 'campplus-3dspeaker<TAB>onnx<TAB>path' and 'pyannote-sample<TAB>wav+rttm<TAB>directory' (the scored test
recording); progress goes to stderr."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..pipeline import DEFAULT_CACHE
from .fetch import NAME, ensure_speaker_encoder
from .reference_sample import ensure_reference_sample


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="models:speaker", description="Fetch and export the diarization speaker encoder.")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE, help=f"default {DEFAULT_CACHE}")
    args = parser.parse_args(argv)
    cache = args.cache_dir.resolve()
    print(f"{NAME}\tonnx\t{ensure_speaker_encoder(cache)}", flush=True)
    print(f"pyannote-sample\twav+rttm\t{ensure_reference_sample(cache)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
