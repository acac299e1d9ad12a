"""Unit tests of the readers/writers on small hand-made inputs, and of the configs built for .en vs multilingual."""
from __future__ import annotations

import json
import struct

import numpy as np
import pytest
from models_real_fixtures import real_models  # noqa: F401 (fixture)

from scripts.models.ct2_format import Ct2FormatError, read_ct2_model
from scripts.models.ggml_writer import GGML_MAGIC, read_tiktoken_ranks, write_ggml
from scripts.models.hf_writer import build_configs, special_token_ids
from scripts.models.whisper_weights import WhisperDims


def _string(text: str) -> bytes:
    raw = text.encode() + b"\0"
    return struct.pack("<H", len(raw)) + raw


def _ct2_bytes(version: int = 6) -> bytes:
    weight = np.arange(6, dtype=np.float16).reshape(2, 3)
    body = struct.pack("<I", version) + _string("WhisperSpec") + struct.pack("<II", 3, 2)
    body += _string("a/weight") + struct.pack("<B2I", 2, 2, 3) + struct.pack("<BI", 4, weight.nbytes) + weight.tobytes()
    body += _string("a/num_heads") + struct.pack("<B", 0) + struct.pack("<BI", 2, 2) + struct.pack("<h", 6)
    body += struct.pack("<I", 1) + _string("b/weight") + _string("a/weight")
    return body


def test_ct2_reader_reads_variables_scalars_and_aliases(tmp_path):
    path = tmp_path / "model.bin"
    path.write_bytes(_ct2_bytes())
    model = read_ct2_model(path)
    assert model.spec == "WhisperSpec" and model.revision == 3
    assert model.get("a/weight").dtype == np.float16 and model.get("a/weight").tolist() == [[0, 1, 2], [3, 4, 5]]
    assert model.scalar("a/num_heads") == 6
    assert model.get("b/weight") is model.get("a/weight")


@pytest.mark.parametrize(
    ("data", "message"),
    [(_ct2_bytes(version=5), "binary version 5"), (_ct2_bytes()[:40], "truncated"), (_ct2_bytes() + b"x", "trailing")],
)
def test_ct2_reader_rejects_bad_files(tmp_path, data, message):
    path = tmp_path / "model.bin"
    path.write_bytes(data)
    with pytest.raises(Ct2FormatError, match=message):
        read_ct2_model(path)


def test_ggml_writer_header_vocab_and_tensor_types(tmp_path):
    dims = WhisperDims(n_mels=2, n_vocab=51864, n_audio_ctx=3, n_audio_state=4, n_audio_head=1, n_audio_layer=0,
                       n_text_ctx=5, n_text_state=4, n_text_head=1, n_text_layer=0)
    tensors = {
        "encoder.positional_embedding": np.ones((3, 4), np.float16),
        "encoder.conv1.weight": np.ones((4, 2, 3), np.float16),
        "encoder.conv1.bias": np.ones(4, np.float16),
        "decoder.token_embedding.weight": np.ones((51864, 4), np.float16),
    }
    path = tmp_path / "ggml.bin"
    write_ggml(path, dims, tensors, np.zeros((2, 201), np.float32), [b"a", b"bc"])
    data = path.read_bytes()
    assert struct.unpack_from("<I11i", data) == (GGML_MAGIC, 51864, 3, 4, 1, 0, 5, 4, 1, 0, 2, 1)
    offset = 4 + 44 + 8 + 2 * 201 * 4
    assert struct.unpack_from("<iI1sI2s", data, offset) == (2, 1, b"a", 2, b"bc")
    offset += 4 + 5 + 6
    seen = []
    while offset < len(data):
        n_dims, name_len, ttype = struct.unpack_from("<3i", data, offset)
        ne = struct.unpack_from(f"<{n_dims}i", data, offset + 12)
        name = data[offset + 12 + 4 * n_dims: offset + 12 + 4 * n_dims + name_len].decode()
        seen.append((name, ne, ttype))
        offset += 12 + 4 * n_dims + name_len + int(np.prod(ne)) * (2 if ttype == 1 else 4)
    assert seen == [
        ("encoder.positional_embedding", (4, 3), 0),
        ("encoder.conv1.weight", (3, 2, 4), 1),
        ("encoder.conv1.bias", (1, 4), 0),
        ("decoder.token_embedding.weight", (4, 51864), 1),
    ]


def test_tiktoken_ranks_must_be_contiguous(tmp_path):
    good, bad = tmp_path / "good.tiktoken", tmp_path / "bad.tiktoken"
    good.write_text("YQ== 0\nYmM= 1\n")
    bad.write_text("YQ== 0\nYmM= 2\n")
    assert read_tiktoken_ranks(good) == [b"a", b"bc"]
    with pytest.raises(ValueError, match="contiguous"):
        read_tiktoken_ranks(bad)


def _dims(n_vocab: int) -> WhisperDims:
    return WhisperDims(80, n_vocab, 1500, 384, 6, 4, 448, 384, 6, 4)


def test_configs_for_english_only_and_multilingual_use_the_shipped_token_ids(real_models):
    for name, n_vocab in (("tiny.en", 51864), ("base", 51865)):
        ct2_dir = real_models[(name, "ct2")]
        ct2_config = json.loads((ct2_dir / "config.json").read_text())
        config, generation = build_configs(_dims(n_vocab), special_token_ids(ct2_dir / "tokenizer.json"), ct2_config)
        if name == "tiny.en":
            assert (config["eos_token_id"], config["decoder_start_token_id"]) == (50256, 50257)
            assert generation["no_timestamps_token_id"] == 50362 and not generation["is_multilingual"]
            assert "lang_to_id" not in generation
        else:
            assert (config["eos_token_id"], config["decoder_start_token_id"]) == (50257, 50258)
            assert generation["no_timestamps_token_id"] == 50363 and generation["is_multilingual"]
            assert len(generation["lang_to_id"]) == 99 and generation["lang_to_id"]["<|es|>"] == 50262
            assert generation["task_to_id"] == {"transcribe": 50359, "translate": 50358}
            assert sorted(generation["lang_to_id"].values()) == ct2_config["lang_ids"]
