"""Scores transcripts against the evaluation set: WER (Whisper-normalized), real-time factor, utterance-start error.

    $SPEECH_PYTHON bench/accuracy/score.py < request.json > scores.json

request: {"language": "en", "items": [{"key": "...", "reference": "raw text", "hypothesis": "raw text",
          "audio_seconds": 30.1, "seconds": 1.2, "utterances": [{"start": 1.0, "reference": "..."}] | null,
          "words": [{"word": " Hello", "start": 0.98}] | null}, ...]}
Items with the same key are pooled (corpus WER = all errors / all reference words). The answer, per key:
{"wer", "sub", "del", "ins", "ref", "audio_seconds", "seconds", "rtf", "starts": {"median", "p95", "matched", "total"} | null}
"""

from __future__ import annotations

import difflib
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from whisper_text import error_counts, normalize  # noqa: E402


def start_errors(utterances: list[dict], words: list[dict], language: str) -> list[float]:
    """|hypothesis start - true start| of every utterance whose first reference word the hypothesis has.

    Reference and hypothesis are normalized word by word (each normalized token keeps its word's start) and
    aligned with difflib; an utterance counts only when its first token is inside a matching block, so a
    misrecognized first word is a WER matter and not a fake timing error.
    """
    ref_tokens, firsts = [], []
    for index, utterance in enumerate(utterances):
        tokens = normalize(utterance["reference"], language).split()
        if tokens:
            firsts.append((len(ref_tokens), index))
        ref_tokens.extend(tokens)
    hyp_tokens, hyp_starts = [], []
    for word in words:
        for token in normalize(word["word"], language).split():
            hyp_tokens.append(token)
            hyp_starts.append(float(word["start"]))
    matcher = difflib.SequenceMatcher(a=ref_tokens, b=hyp_tokens, autojunk=False)
    ref_to_hyp = {}
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            ref_to_hyp[block.a + k] = block.b + k
    errors = []
    for position, index in firsts:
        if position in ref_to_hyp:
            errors.append(abs(hyp_starts[ref_to_hyp[position]] - float(utterances[index]["start"])))
    return errors


def score(request: dict) -> dict:
    language = request["language"]
    pooled: dict[str, dict] = {}
    for item in request["items"]:
        totals = pooled.setdefault(
            item["key"], {"sub": 0, "del": 0, "ins": 0, "ref": 0, "audio_seconds": 0.0, "seconds": 0.0, "errors": [], "utts": 0}
        )
        counts = error_counts(normalize(item["reference"], language), normalize(item["hypothesis"], language))
        for name in ("sub", "del", "ins", "ref"):
            totals[name] += counts[name]
        totals["audio_seconds"] += float(item.get("audio_seconds") or 0)
        totals["seconds"] += float(item.get("seconds") or 0)
        if item.get("utterances") and item.get("words") is not None:
            totals["errors"].extend(start_errors(item["utterances"], item["words"], language))
            totals["utts"] += len(item["utterances"])
    answer = {}
    for key, t in pooled.items():
        errors = np.array(t["errors"]) if t["errors"] else None
        answer[key] = {
            "wer": 100.0 * (t["sub"] + t["del"] + t["ins"]) / max(1, t["ref"]),
            **{name: t[name] for name in ("sub", "del", "ins", "ref")},
            "audio_seconds": t["audio_seconds"],
            "seconds": t["seconds"],
            "rtf": t["seconds"] / t["audio_seconds"] if t["audio_seconds"] else None,
            "starts": None
            if errors is None
            else {
                "median": float(np.median(errors)),
                "p95": float(np.percentile(errors, 95)),
                "matched": int(errors.size),
                "total": t["utts"],
            },
        }
    return answer


if __name__ == "__main__":
    json.dump(score(json.load(sys.stdin)), sys.stdout)
