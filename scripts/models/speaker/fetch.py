"""Make the speaker encoder's ONNX file exist in the cache: download the pinned wheel (pip, so PIP_INDEX_URL and
proxies apply), check both the wheel's and pretrained.pt's sha256, export, and remember what it was made from."""
from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
from pathlib import Path

from ..fetch import VerificationError, _download, sha256_of
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


def _extract_pretrained(wheel: Path, into: Path) -> Path:
    target = into / "pretrained.pt"
    digest = hashlib.sha256()
    with zipfile.ZipFile(wheel) as archive, archive.open(PRETRAINED_MEMBER) as src, open(target, "wb") as dst:
        for chunk in iter(lambda: src.read(1 << 20), b""):
            digest.update(chunk)
            dst.write(chunk)
    if digest.hexdigest() != PRETRAINED_SHA256:
        raise VerificationError(f"{PRETRAINED_MEMBER}: sha256 {digest.hexdigest()}, pinned {PRETRAINED_SHA256}")
    return target


def ensure_speaker_encoder(cache: Path) -> Path:
    """The ONNX file's path; downloads and exports only when the cache lacks a current export."""
    out = onnx_path(cache)
    if _is_current(cache):
        return out
    downloads = cache / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    wheel = _download(RESEMBLYZER_WHEEL, downloads)
    with tempfile.TemporaryDirectory(dir=downloads) as work:
        pretrained = _extract_pretrained(wheel, Path(work))
        log(f"exporting {NAME} to ONNX")
        diff = export(pretrained, out)
    wheel.unlink()
    if not any(downloads.iterdir()):
        downloads.rmdir()
    stamp = _stamp_path(cache)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(json.dumps({**_wanted_stamp(), "onnx_sha256": sha256_of(out), "max_abs_diff_vs_torch": diff}))
    return out
