"""Whisper-style text normalization and WER, shared by the eval-set builder, the bench and the CI checks.

The normalizers are openai-whisper's own (case, punctuation, numbers, British/American spellings). Importing
`whisper.normalizers` the usual way runs `whisper/__init__.py`, which needs numba and torch for the model code;
only the normalizer files are loaded here, by path, so the package's assets are all that is required.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from functools import lru_cache

import jiwer


@lru_cache(maxsize=1)
def _normalizers():
    spec = importlib.util.find_spec("whisper")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("openai-whisper is not installed in this Python (SPEECH_PYTHON): its normalizers are needed")
    folder = os.path.join(list(spec.submodule_search_locations)[0], "normalizers")
    module_spec = importlib.util.spec_from_file_location(
        "whisper_normalizers", os.path.join(folder, "__init__.py"), submodule_search_locations=[folder]
    )
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    sys.modules["whisper_normalizers"] = module
    module_spec.loader.exec_module(module)
    return module


@lru_cache(maxsize=4)
def normalizer(language: str):
    """English gets Whisper's English normalizer (numbers, spellings); other languages the basic one."""
    module = _normalizers()
    if language == "en":
        return module.EnglishTextNormalizer()
    return module.BasicTextNormalizer(remove_diacritics=False, split_letters=False)


def normalize(text: str, language: str) -> str:
    return " ".join(normalizer(language)(text).split())


def word_errors(reference: str, hypothesis: str) -> tuple[int, int]:
    """(errors, reference words) for already-normalized texts, so corpus WER is the sum over pairs."""
    ref_words = reference.split()
    if not ref_words:
        return (len(hypothesis.split()), 0)
    if not hypothesis.split():
        return (len(ref_words), len(ref_words))
    out = jiwer.process_words(reference, hypothesis)
    return (out.substitutions + out.deletions + out.insertions, len(ref_words))


def error_counts(reference: str, hypothesis: str) -> dict[str, int]:
    """Substitutions, deletions and insertions separately: lost words show as deletions, doubled ones as insertions."""
    ref_words = reference.split()
    hyp_words = hypothesis.split()
    if not ref_words or not hyp_words:
        return {"sub": 0, "del": len(ref_words), "ins": len(hyp_words), "ref": len(ref_words)}
    out = jiwer.process_words(reference, hypothesis)
    return {"sub": out.substitutions, "del": out.deletions, "ins": out.insertions, "ref": len(ref_words)}
