"""The diarization stage as the container runs it after transcription: speech regions from energy
(speech_regions.py) → diarize() with the lazily opened speaker encoder → speaker turns, which the HTTP layer puts
into the transcript with assign_speakers()."""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

import numpy as np

from runtime.diarization.diarize import DiarizationOptions, diarize, embed_reference_voice
from runtime.diarization.spans import SpeakerTurn
from runtime.diarization.speaker_encoder import LazySpeakerEncoder
from runtime.diarization.speech_regions import energy_speech_regions, split_long_regions


@dataclass(frozen=True)
class DiarizationRequest:
    """What a request asks of the stage, validated by the HTTP layer (app/diarization_options.py)."""

    speakers: Optional[int] = None
    min_speakers: Optional[int] = None
    max_speakers: Optional[int] = None
    # (name, 16 kHz mono clip of 2–10 s): a cluster matching the voice is labelled with the name.
    known_speakers: Sequence[Tuple[str, np.ndarray]] = ()


class DiarizationStage:
    def __init__(self, encoder: LazySpeakerEncoder):
        self._encoder = encoder

    def ensure_loaded(self) -> None:
        """Opens the speaker model now (raises SpeakerModelUnavailable), so a request fails before transcribing."""
        self._encoder.get()

    def turns(self, audio: np.ndarray, request: DiarizationRequest) -> List[SpeakerTurn]:
        encoder = self._encoder.get()
        voices = [embed_reference_voice(name, clip, encoder) for name, clip in request.known_speakers]
        options = DiarizationOptions(
            speakers=request.speakers,
            min_speakers=request.min_speakers,
            max_speakers=request.max_speakers,
            known_voices=voices,
        )
        return diarize(audio, split_long_regions(energy_speech_regions(audio)), encoder, options)
