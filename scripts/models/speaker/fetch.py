"""Make the speaker encoder's ONNX file exist in the cache: download the pinned wheel (pip, so PIP_INDEX_URL and
proxies apply), check both the wheel's and pretrained.pt's sha256, export, and remember what it was made from."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

from ..fetch import extract_pinned, pinned_wheel, sha256_of
from ..log import log
from .export_onnx import export
from .source import PRETRAINED_MEMBER, PRETRAINED_SHA256, RESEMBLYZER_WHEEL

NAME = "ge2e-resemblyzer"
# Bump when export_onnx's output changes, so a cached export is redone.
EXPORTER_VERSION = 1


def onnx_path(cache: Path) -> Path:
    return cache / "speaker" / f"{NAME}.onnx"


def _stamp_path(cache: Path) -> Path:
    return cache / "stamps" / f"{NAME}.onnx.json"


def _wanted_stamp() -> dict:
    return {"pretrained_sha256": PRETRAINED_SHA256, "exporter": EXPORTER_VERSION}


def _is_current(cache: Path) -> bool:
    out, stamp = onnx_path(cache), _stamp_path(cache)
    if not (out.is_file() and stamp.is_file()):
        return False
    recorded = json.loads(stamp.read_text())
    return {k: recorded.get(k) for k in _wanted_stamp()} == _wanted_stamp() and recorded.get("onnx_sha256") == sha256_of(out)


def ensure_speaker_encoder(cache: Path) -> Path:
    """The ONNX file's path; downloads and exports only when the cache lacks a current export."""
    out = onnx_path(cache)
    if _is_current(cache):
        return out
    with pinned_wheel(RESEMBLYZER_WHEEL, cache / "downloads") as wheel, tempfile.TemporaryDirectory() as work:
        pretrained = Path(work) / "pretrained.pt"
        extract_pinned(wheel, PRETRAINED_MEMBER, PRETRAINED_SHA256, pretrained)
        log(f"exporting {NAME} to ONNX")
        diff = export(pretrained, out)
    stamp = _stamp_path(cache)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(json.dumps({**_wanted_stamp(), "onnx_sha256": sha256_of(out), "max_abs_diff_vs_torch": diff}))
    return out
