"""pyannote.audio's own diarization test recording: a 30 s two-speaker excerpt with its reference RTTM (MIT),
shipped inside the pinned pyannote-audio wheel. The diarization tests and bench/diarization score against it."""
from __future__ import annotations

from pathlib import Path

from ..fetch import extract_pinned, pinned_wheel, sha256_of
from ..sources import Wheel

PYANNOTE_WHEEL = Wheel(
    "pyannote.audio==4.0.7",
    "pyannote_audio-4.0.7-py3-none-any.whl",
    "852ea15c4d85bc34773e618267603ffca6a521669a74d33742692cc67fc700d6",
)
# file name → (path in the wheel, sha256)
MEMBERS = {
    "sample.wav": ("pyannote/audio/sample/sample.wav", "c319b4abca767b124e41432d364fd7df006cb26bb79d09326c487d606a134e6e"),
    "sample.rttm": ("pyannote/audio/sample/sample.rttm", "d78fe62c69d8e6dcbb42c26adfce83faccb374c5a1e6d987fe37f85f1c173c87"),
}


def ensure_reference_sample(cache: Path) -> Path:
    """Directory holding sample.wav and sample.rttm, each with its pinned sha256."""
    out = cache / "speaker" / "pyannote-sample"
    if all((out / name).is_file() and sha256_of(out / name) == sha for name, (_, sha) in MEMBERS.items()):
        return out
    with pinned_wheel(PYANNOTE_WHEEL, cache / "downloads") as wheel:
        for name, (member, pinned) in MEMBERS.items():
            extract_pinned(wheel, member, pinned, out / name)
    return out
