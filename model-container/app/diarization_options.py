"""The diarization options of an invocation, validated as the API validates its own
(apps/api/src/diarization/diarization-options.ts), so a request the API accepts is accepted here:

- `diarize` (bool); `num_speakers`, or `min_speakers`/`max_speakers` (whole numbers 1–16), only with diarize;
- `known_speakers`: [{name, audio_base64}] (JSON form only: a clip is far over SageMaker's 1024-character header),
  at most 4, each a 2–10 s clip; a cluster matching a clip's voice is labelled with its name. Known speakers alone
  turn diarization on, as OpenAI's known_speaker_names do.

Every problem is INVALID_OPTION naming the option. The clips are only parsed here; known_speakers_input.py decodes
them with the container's ffmpeg path."""
from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple

from app.errors import invalid_option

MAX_SPEAKERS = 16
MAX_KNOWN_SPEAKERS = 4
# 10 s of 48 kHz 16-bit stereo WAV is ~1.9 MB; anything larger is not a 2–10 s reference clip.
MAX_REFERENCE_BYTES = 2 * 1024 * 1024
MAX_NAME_CHARS = 64
COUNT_KEYS = ("num_speakers", "min_speakers", "max_speakers")
DIARIZATION_KEYS = ("diarize", *COUNT_KEYS, "known_speakers")


@dataclass(frozen=True)
class DiarizationAsk:
    speakers: Optional[int] = None
    min_speakers: Optional[int] = None
    max_speakers: Optional[int] = None
    known_speakers: Tuple[Tuple[str, bytes], ...] = ()  # (name, the clip's bytes as sent)


def diarization_key(key: str) -> Optional[str]:
    """The canonical diarization option a key names (numSpeakers, num-speakers, … too), or None."""
    squashed = key.strip().lower().replace("_", "").replace("-", "")
    return next((k for k in DIARIZATION_KEYS if k.replace("_", "") == squashed), None)


def parse_diarization(values: Dict[str, Any], from_header: bool) -> Optional[DiarizationAsk]:
    """`values`: canonical key → raw value (only diarization keys). None when diarization is off."""
    known = values.get("known_speakers")
    if known is not None and from_header:
        raise invalid_option("known_speakers carries audio: send it in the JSON form (options.known_speakers).", "known_speakers")
    enabled = _as_bool(values["diarize"]) if "diarize" in values else bool(known)
    if not enabled:
        stray = [k for k in COUNT_KEYS if values.get(k) is not None] + (["known_speakers"] if known else [])
        if stray:
            raise invalid_option(f"{stray[0]} needs diarize=true.", stray[0])
        return None
    speakers, minimum, maximum = (_count(values, key) for key in COUNT_KEYS)
    if speakers is not None and (minimum is not None or maximum is not None):
        raise invalid_option("Send num_speakers, or min_speakers/max_speakers, not both.", "num_speakers")
    if minimum is not None and maximum is not None and minimum > maximum:
        raise invalid_option(f"min_speakers ({minimum}) is larger than max_speakers ({maximum}).", "min_speakers")
    return DiarizationAsk(speakers, minimum, maximum, _known_speakers(known))


def _as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise invalid_option("diarize is true or false.", "diarize")


def _count(values: Dict[str, Any], key: str) -> Optional[int]:
    value = values.get(key)
    if value is None:
        return None
    number: Any = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 3:
        number = int(value.strip())
    if number is None or not 1 <= number <= MAX_SPEAKERS:
        raise invalid_option(f"{key} is a whole number from 1 to {MAX_SPEAKERS}.", key)
    return number


def _known_speakers(raw: Any) -> Tuple[Tuple[str, bytes], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise invalid_option("known_speakers is a list of {name, audio_base64} objects.", "known_speakers")
    if len(raw) > MAX_KNOWN_SPEAKERS:
        raise invalid_option(f"At most {MAX_KNOWN_SPEAKERS} known speakers.", "known_speakers")
    seen = set()
    speakers = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not isinstance(item.get("audio_base64"), str):
            raise invalid_option("Each known speaker is {name: string, audio_base64: string}.", "known_speakers")
        name = item["name"].strip()
        if not 1 <= len(name) <= MAX_NAME_CHARS or any(ord(c) < 0x20 for c in name):
            raise invalid_option(f"Speaker names are 1–{MAX_NAME_CHARS} printable characters.", "known_speakers")
        if name in seen:
            raise invalid_option(f'The speaker name "{name}" is given twice.', "known_speakers")
        seen.add(name)
        encoded = "".join(item["audio_base64"].split())
        if len(encoded) * 3 // 4 > MAX_REFERENCE_BYTES:
            raise invalid_option(f"A known speaker clip is at most {MAX_REFERENCE_BYTES // (1024 * 1024)} MiB (2–10 s of audio).", "known_speakers")
        try:
            clip = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise invalid_option(f'The clip of "{name}" is not valid base64.', "known_speakers") from None
        if not clip:
            raise invalid_option(f'The clip of "{name}" is empty.', "known_speakers")
        speakers.append((name, clip))
    return tuple(speakers)
