"""model.tar.gz layout for SageMaker: the model files at the archive root, caches left out."""
import json
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from package_model import build_archive  # noqa: E402

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "package_model.py"


@pytest.fixture
def model_dir(tmp_path):
    folder = tmp_path / "whisper"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps({"model_type": "whisper"}))
    (folder / "generation_config.json").write_text("{}")
    (folder / "model.safetensors").write_bytes(b"\x00" * 1024)
    (folder / "tokenizer.json").write_text("{}")
    (folder / "merges.txt").write_text("#version: 0.2\n")
    (folder / ".cache" / "huggingface").mkdir(parents=True)
    (folder / ".cache" / "huggingface" / "download.lock").write_text("")
    (folder / ".gitattributes").write_text("")
    return folder


def test_files_sit_at_the_archive_root(model_dir, tmp_path):
    output = tmp_path / "out" / "model.tar.gz"
    members = build_archive(str(model_dir), str(output))
    assert members == ["config.json", "generation_config.json", "merges.txt", "model.safetensors", "tokenizer.json"]
    with tarfile.open(output) as archive:
        infos = archive.getmembers()
        assert [i.name for i in infos] == members
        assert all(i.isfile() and "/" not in i.name and i.uid == 0 and i.mtime == 0 for i in infos)
        assert archive.extractfile("model.safetensors").read() == b"\x00" * 1024


def test_archive_is_reproducible(model_dir, tmp_path):
    first, second = tmp_path / "a.tar.gz", tmp_path / "b.tar.gz"
    build_archive(str(model_dir), str(first))
    (model_dir / "config.json").touch()
    build_archive(str(model_dir), str(second))
    with tarfile.open(first) as a, tarfile.open(second) as b:
        assert [(m.name, m.size, m.mtime) for m in a] == [(m.name, m.size, m.mtime) for m in b]


def test_cli_refuses_a_folder_that_is_not_a_model(tmp_path):
    (tmp_path / "empty").mkdir()
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--from-dir", str(tmp_path / "empty"), "--output", str(tmp_path / "m.tar.gz")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode != 0 and "config.json" in result.stderr


def test_cli_packs_a_local_folder(model_dir, tmp_path):
    output = tmp_path / "model.tar.gz"
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--from-dir", str(model_dir), "--output", str(output)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "config.json" in result.stdout and output.exists()


def test_the_speaker_model_goes_where_the_container_looks_for_it(model_dir, tmp_path):
    from runtime.model_location import SPEAKER_MODEL_FILE, resolve_speaker_model

    encoder = tmp_path / "campplus-3dspeaker.onnx"
    encoder.write_bytes(b"onnx bytes")
    output = tmp_path / "model.tar.gz"
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--from-dir", str(model_dir), "--output", str(output), "--speaker-model", str(encoder)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    unpacked = tmp_path / "opt-ml-model"
    with tarfile.open(output) as archive:
        assert "speaker/campplus-3dspeaker.onnx" in archive.getnames()
        archive.extractall(unpacked, filter="data")
    assert (unpacked / SPEAKER_MODEL_FILE).read_bytes() == b"onnx bytes"
    assert resolve_speaker_model(None, str(unpacked), None) == str(unpacked / SPEAKER_MODEL_FILE)
    assert resolve_speaker_model("/explicit.onnx", str(unpacked), None) == "/explicit.onnx"
    assert resolve_speaker_model(None, str(tmp_path / "nothing"), None) is None
