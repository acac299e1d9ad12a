"""Runtime output -> the shared TranscriptionResult wire shape
(libs/contracts/src/lib/transcription-result.ts): times in seconds, rounded to milliseconds,
clamped to the audio, segment ids 0..n-1, and a flat `words` list only when words were asked for.
"""
from __future__ import annotations

import math
from typing import Any, Dict, List, Optional

from runtime.protocol import RawResult


def _time(value: Any, duration: float) -> float:
    seconds = float(value)
    if math.isnan(seconds):
        seconds = 0.0
    return round(min(max(seconds, 0.0), duration), 3)


def _optional_number(value: Any) -> Optional[float]:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) or math.isinf(number) else round(number, 4)


def _segment_text(raw: Any) -> str:
    """A segment's text as Whisper writes it and OpenAI returns it: a leading space where the words start a new
    word (" Please press 1"), none where they do not (CJK, or a segment that continues a word). Callers join
    segments with "" (the API does when it puts VAD chunks back together), so stripping that space glued sentences
    together ("yourself.2 to lock": +5 WER points on the eval set's menus)."""
    text = str(raw).rstrip()
    if not text.strip():
        return ""
    return " " + text.lstrip() if text[0].isspace() else text


def _joined(texts) -> str:
    """Segment texts joined as Whisper does (""), with a space added only where neither side has one."""
    out = ""
    for text in texts:
        if out and text and not out[-1].isspace() and not text[0].isspace():
            out += " "
        out += text
    return out


def _word(raw: Dict[str, Any], duration: float) -> Dict[str, Any]:
    start = _time(raw["start"], duration)
    word: Dict[str, Any] = {"word": str(raw["word"]).strip(), "start": start, "end": max(start, _time(raw["end"], duration))}
    probability = _optional_number(raw.get("probability"))
    if probability is not None:
        word["probability"] = min(max(probability, 0.0), 1.0)
    return word


def to_wire_result(raw: RawResult, duration: float, want_words: bool) -> Dict[str, Any]:
    duration = round(float(duration), 3)
    segments: List[Dict[str, Any]] = []
    all_words: List[Dict[str, Any]] = []
    for raw_segment in raw.get("segments", []):
        text = _segment_text(raw_segment.get("text", ""))
        start = _time(raw_segment["start"], duration)
        segment: Dict[str, Any] = {
            "id": len(segments),
            "start": start,
            "end": max(start, _time(raw_segment["end"], duration)),
            "text": text,
        }
        for key in ("avg_logprob", "no_speech_prob"):
            number = _optional_number(raw_segment.get(key))
            if number is not None:
                segment[key] = number
        if want_words:
            words = [_word(w, duration) for w in raw_segment.get("words") or [] if str(w.get("word", "")).strip()]
            segment["words"] = words
            all_words.extend(words)
        if text or segment.get("words"):
            segments.append(segment)

    text = raw.get("text")
    if text is None:
        text = _joined(s["text"] for s in segments)
    result: Dict[str, Any] = {
        "text": str(text).strip(),
        "language": str(raw.get("language") or ""),
        "duration": duration,
        "segments": segments,
    }
    if want_words:
        result["words"] = all_words
    return result
