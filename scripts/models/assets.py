"""openai-whisper's packaged assets: the mel filterbank and the BPE ranks that whisper.cpp's ggml file embeds."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

from .ggml_writer import read_tiktoken_ranks

_HINT = "install it into the models Python (SPEECH_PYTHON): pip install --no-deps openai-whisper==20250625"


def whisper_assets_dir() -> Path:
    # find_spec does not import the package (it would need its runtime dependencies; we only need data files).
    spec = importlib.util.find_spec("whisper")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the openai-whisper package (its assets) is missing; {_HINT}")
    assets = Path(next(iter(spec.submodule_search_locations))) / "assets"
    if not (assets / "mel_filters.npz").is_file():
        raise RuntimeError(f"{assets} has no mel_filters.npz; {_HINT}")
    return assets


def mel_filters(n_mels: int) -> np.ndarray:
    with np.load(whisper_assets_dir() / "mel_filters.npz") as filters:
        return filters[f"mel_{n_mels}"]


def bpe_tokens(multilingual: bool) -> list[bytes]:
    name = "multilingual.tiktoken" if multilingual else "gpt2.tiktoken"
    return read_tiktoken_ranks(whisper_assets_dir() / name)
