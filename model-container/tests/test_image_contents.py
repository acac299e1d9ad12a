"""What the images run is in the images: every package of the server is copied by both Dockerfiles, and every
third-party module the server imports is pinned in the requirements files they install (a module that only the
venv happens to have, as onnxruntime had before diarization, would fail on the first request in production)."""
from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

from test_import_layers import ROOT, package_modules

DOCKERFILES = ("Dockerfile", "Dockerfile.cpu")
REQUIREMENTS = ("requirements-torch.txt", "requirements-model.txt", "requirements-server.txt")
# What the image runs: the server and the code below it (scripts/ are tools with their own optional imports).
SERVED = ("serve", "app", "runtime", "settings")


def _served_modules():
    return {name: path for name, path in package_modules(ROOT).items() if name.split(".")[0] in SERVED}


def _third_party_imports():
    own = {name.split(".")[0] for name in package_modules(ROOT)}
    found = set()
    for path in _served_modules().values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                heads = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                heads = [node.module.split(".")[0]]
            else:
                continue
            found.update(h for h in heads if h not in own and h not in sys.stdlib_module_names and h != "__future__")
    return found


def _pinned():
    names = set()
    for file in REQUIREMENTS:
        for line in (ROOT / file).read_text().splitlines():
            match = re.match(r"^([A-Za-z0-9_.\-]+)==", line.strip())
            if match:
                names.add(match.group(1).lower().replace("_", "-"))
    return names


def test_every_third_party_import_of_the_server_is_pinned():
    imports = _third_party_imports()
    assert {"numpy", "onnxruntime", "fastapi", "torch"} <= imports  # the scan sees the package
    pinned = _pinned()
    # Every import name of the server equals its distribution's name (onnxruntime, numpy, torch, ...).
    assert sorted(i for i in imports if i.lower().replace("_", "-") not in pinned) == []


@pytest.mark.parametrize("dockerfile", DOCKERFILES)
def test_every_server_package_is_copied_into_the_image(dockerfile):
    copied = set()
    for line in (ROOT / dockerfile).read_text().splitlines():
        if line.startswith("COPY ") and "/opt/program" in line:
            copied.update(Path(source).stem for source in line.split()[1:-1] if not source.startswith("--"))
    assert {name.split(".")[0] for name in _served_modules()} <= copied
    assert all(file in (ROOT / dockerfile).read_text() for file in REQUIREMENTS)
