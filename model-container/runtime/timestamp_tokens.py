"""Whisper output tokens -> timed segments, without torch.

Whisper writes time as tokens: `<|0.00|> Hello there.<|1.84|><|1.84|> How are you?<|3.10|>`.
transformers' generate() returns this in two shapes depending on its version: newer releases give
`segments` with start/end already computed; older ones give the token ids (sometimes with the
decoder prompt in front). Both are handled here so the runtime works across 4.4x and 5.x.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, List, Sequence


@dataclass(frozen=True)
class SpecialTokens:
    eot: int  # <|endoftext|>: every id below it is text
    sot: int  # <|startoftranscript|>
    no_timestamps: int  # <|notimestamps|>; <|nospeech|> is the id just before it
    timestamp_begin: int  # <|0.00|>
    time_precision: float = 0.02

    @property
    def no_speech(self) -> int:
        return self.no_timestamps - 1

    def is_text(self, token: int) -> bool:
        return token < self.eot

    def is_timestamp(self, token: int) -> bool:
        return token >= self.timestamp_begin


@dataclass
class TokenSegment:
    start: float
    end: float
    tokens: List[int] = field(default_factory=list)  # text tokens only


def _ints(values: Any) -> List[int]:
    if hasattr(values, "tolist"):
        values = values.tolist()
    return [int(v) for v in values]


def _clamped(segments: Iterable[TokenSegment], duration: float) -> List[TokenSegment]:
    kept = []
    for segment in segments:
        if not segment.tokens:
            continue
        segment.start = min(max(segment.start, 0.0), duration)
        segment.end = min(max(segment.end, segment.start), duration)
        kept.append(segment)
    return kept


def segments_from_tokens(tokens: Sequence[int], special: SpecialTokens, duration: float) -> List[TokenSegment]:
    """Split one chunk's token ids at timestamp tokens. Text after the last timestamp (the model
    ran out of tokens) runs to the end of the chunk."""
    ids = _ints(tokens)
    if special.sot in ids:  # drop the echoed decoder prompt (and any <|startofprev|> prompt before it)
        ids = ids[len(ids) - ids[::-1].index(special.sot) :]
    segments: List[TokenSegment] = []
    text: List[int] = []
    start = None
    last_time = 0.0
    for token in ids:
        if token == special.eot:
            break
        if special.is_timestamp(token):
            time = (token - special.timestamp_begin) * special.time_precision
            if text:
                segments.append(TokenSegment(last_time if start is None else start, time, text))
                text, start = [], None
            else:
                start = time
            last_time = time
        elif special.is_text(token):
            text.append(token)
    if text:
        segments.append(TokenSegment(last_time if start is None else start, duration, text))
    return _clamped(segments, duration)


def segments_from_generate(raw_segments: Sequence[dict], special: SpecialTokens, duration: float) -> List[TokenSegment]:
    """transformers' `segments` entries ({start, end, tokens, ...}), times relative to the chunk."""
    segments = []
    for raw in raw_segments:
        tokens = [t for t in _ints(raw["tokens"]) if special.is_text(t)]
        segments.append(TokenSegment(float(raw["start"]), float(raw["end"]), tokens))
    return _clamped(segments, duration)
