"""The seam between the HTTP layer and model code.

The HTTP layer only knows `SpeechRuntime`; anything that can turn 16 kHz mono float32 audio into
the shared result shape (libs/contracts/src/lib/transcription-result.ts) can sit behind it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Optional, Protocol, runtime_checkable

import numpy as np

SAMPLE_RATE = 16_000
TASKS = ("transcribe", "translate")


@dataclass(frozen=True)
class TranscribeOptions:
    """Decoding options, already validated by the caller (see app/options.py)."""

    language: Optional[str] = None  # ISO 639-1 (or Whisper's 3-letter haw/yue); None = detect
    task: str = "transcribe"
    prompt: Optional[str] = None
    temperature: float = 0.0
    word_timestamps: bool = False


class OptionNotSupported(ValueError):
    """The runtime cannot honour a (syntactically valid) option; maps to INVALID_OPTION."""


# A result dict: {"text", "language", "segments": [{"start","end","text", optional "avg_logprob",
# "no_speech_prob", "words": [{"word","start","end","probability"}]}], optional "warning"}.
# Times are seconds from the start of the audio given to transcribe(); the HTTP layer adds ids,
# the duration and the flat word list.
RawResult = Dict[str, Any]


@runtime_checkable
class SpeechRuntime(Protocol):
    name: str

    @property
    def loaded(self) -> bool:
        """True once transcribe() can be called."""

    @property
    def translation_trained(self) -> bool:
        """Whether the model was trained for task=translate (large-v3-turbo was not)."""

    def load(self) -> None:
        """Blocking; called once from a background thread at startup."""

    def transcribe(self, audio: np.ndarray, options: TranscribeOptions) -> RawResult:
        """Blocking; called from a worker thread, never on the event loop."""
