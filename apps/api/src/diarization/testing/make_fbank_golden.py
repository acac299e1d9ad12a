"""Writes kaldi-fbank-golden.json for kaldi-fbank.spec.ts from the Python reference the encoder export is checked
with (scripts/models/speaker/kaldi_fbank.py). Run from the repository root:
    $SPEECH_PYTHON apps/api/src/diarization/testing/make_fbank_golden.py"""
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[5]))
from scripts.models.speaker.kaldi_fbank import fbank  # noqa: E402


def golden_signal(length: int) -> np.ndarray:
    """The spec's signal: three tones, one fading in, computed in float64 and rounded to float32 on both sides."""
    n = np.arange(length, dtype=np.float64)
    x = (0.3 * np.sin(2 * np.pi * 220 * n / 16000) + 0.2 * np.sin(2 * np.pi * 1375 * n / 16000 + 0.5)
         + 0.1 * np.sin(2 * np.pi * 5100 * n / 16000) * (n / length))
    return x.astype(np.float32)


cases = {str(length): fbank(golden_signal(length)) for length in (8000, 300)}
out = Path(__file__).with_name("kaldi-fbank-golden.json")
out.write_text(json.dumps({k: {"frames": v.shape[0], "values": [round(float(x), 5) for x in v.ravel()]} for k, v in cases.items()}))
print(f"wrote {out}")
