"""Decoding options from the two places a request can carry them.

- Raw audio bodies: the `X-Amzn-SageMaker-Custom-Attributes` header, which is how SageMaker
  forwards InvokeEndpoint(Async)'s CustomAttributes: `language=en;task=transcribe;prompt=Hi%20there`
  (values URL-encoded so `;` and `=` can appear in a prompt). SageMaker caps it at 1024 chars:
  long prompts belong in the JSON body.
- JSON bodies: the `options` object, same keys (camelCase aliases of the TypeScript contract too).

Diarization's keys (diarize, num_speakers, min_speakers, max_speakers, known_speakers) are split off and validated by
app/diarization_options.py; invocation_options_from_header/_json return both halves.
"""
from __future__ import annotations

import math
import re
from typing import Any, Dict, Mapping, Optional, Tuple
from urllib.parse import unquote

from app.diarization_options import DIARIZATION_KEYS, DiarizationAsk, diarization_key, parse_diarization
from app.errors import invalid_option as invalid
from runtime.languages import SUPPORTED_LANGUAGES
from runtime.protocol import TASKS, TranscribeOptions

CUSTOM_ATTRIBUTES_HEADER = "x-amzn-sagemaker-custom-attributes"
MAX_PROMPT_CHARS = 2000
GRANULARITIES = ("word", "segment")

# Keys are compared without case, "_" or "-", so wordTimestamps / word_timestamps / word-timestamps
# (and the OpenAI-style timestamp_granularities) all land on one canonical name.
_ALIASES = {
    "language": "language",
    "task": "task",
    "prompt": "prompt",
    "temperature": "temperature",
    "wordtimestamps": "word_timestamps",
    "granularity": "granularity",
    "timestampgranularities": "granularity",
}
ACCEPTED_KEYS = ("language", "task", "prompt", "temperature", "word_timestamps", "granularity")


def parse_custom_attributes(header: str) -> Dict[str, str]:
    """`k=v;k2=v2` with URL-encoded values -> dict. Empty items are ignored."""
    pairs: Dict[str, str] = {}
    for item in header.split(";"):
        item = item.strip()
        if not item:
            continue
        key, sep, value = item.partition("=")
        if not sep:
            raise invalid(f"custom attribute {item!r} is not key=value", item)
        pairs[unquote(key.strip())] = unquote(value.strip())
    return pairs


def _canonical_key(key: str) -> str:
    canonical = _ALIASES.get(key.strip().lower().replace("_", "").replace("-", ""))
    if canonical is None:
        raise invalid(f"unknown option {key!r}; accepted: {', '.join(ACCEPTED_KEYS + DIARIZATION_KEYS)}", key)
    return canonical


def _as_bool(value: Any, option: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "1", "yes", "false", "0", "no"):
        return value.strip().lower() in ("true", "1", "yes")
    raise invalid(f"{option} must be true or false", option)


def _as_granularities(value: Any) -> set:
    items = value if isinstance(value, (list, tuple)) else re.split(r"[,\s]+", str(value))
    chosen = {str(item).strip().lower() for item in items if str(item).strip()}
    unknown = chosen - set(GRANULARITIES)
    if unknown:
        raise invalid(f"granularity must be among {', '.join(GRANULARITIES)}", "granularity")
    return chosen


def options_from_mapping(raw: Mapping[str, Any]) -> TranscribeOptions:
    """Validate and normalise; every problem is an INVALID_OPTION naming the option."""
    values: Dict[str, Any] = {}
    for key, value in raw.items():
        values[_canonical_key(str(key))] = value

    language = values.get("language")
    if language is not None:
        if not isinstance(language, str):
            raise invalid("language must be a string", "language")
        language = language.strip().lower() or None
        if language in ("auto", "detect"):
            language = None
        if language is not None and language not in SUPPORTED_LANGUAGES:
            raise invalid(f"language {language!r} is not a supported ISO 639-1 code", "language")

    task = str(values.get("task", "transcribe")).strip().lower()
    if task not in TASKS:
        raise invalid("task must be transcribe or translate", "task")

    prompt = values.get("prompt")
    if prompt is not None:
        if not isinstance(prompt, str):
            raise invalid("prompt must be a string", "prompt")
        prompt = prompt.strip() or None
        if prompt is not None and len(prompt) > MAX_PROMPT_CHARS:
            raise invalid(f"prompt is longer than {MAX_PROMPT_CHARS} characters", "prompt")

    temperature_raw = values.get("temperature", 0)
    try:
        temperature = float(temperature_raw)
    except (TypeError, ValueError):
        raise invalid("temperature must be a number between 0 and 1", "temperature") from None
    if isinstance(temperature_raw, bool) or math.isnan(temperature) or not 0.0 <= temperature <= 1.0:
        raise invalid("temperature must be a number between 0 and 1", "temperature")

    word_timestamps = False
    if "word_timestamps" in values:
        word_timestamps = _as_bool(values["word_timestamps"], "word_timestamps")
    if "granularity" in values and "word" in _as_granularities(values["granularity"]):
        word_timestamps = True

    return TranscribeOptions(
        language=language,
        task=task,
        prompt=prompt,
        temperature=temperature,
        word_timestamps=word_timestamps,
    )


InvocationOptions = Tuple[TranscribeOptions, Optional[DiarizationAsk]]


def _split(raw: Mapping[str, Any], from_header: bool) -> InvocationOptions:
    transcription: Dict[str, Any] = {}
    diarization: Dict[str, Any] = {}
    for key, value in raw.items():
        canonical = diarization_key(str(key))
        if canonical is None:
            transcription[key] = value
        else:
            diarization[canonical] = value
    return options_from_mapping(transcription), parse_diarization(diarization, from_header)


def invocation_options_from_header(header_value: str) -> InvocationOptions:
    """Decoding options and the diarization ask (None: off) from the custom-attributes header."""
    return _split(parse_custom_attributes(header_value or ""), from_header=True)


def invocation_options_from_json(raw: Any) -> InvocationOptions:
    if raw is None:
        return TranscribeOptions(), None
    if not isinstance(raw, dict):
        raise invalid("options must be a JSON object", "options")
    return _split(raw, from_header=False)
