"""How an invocation with diarization runs: before inference, the speaker model is opened (a missing model is a 503
MODEL_UNAVAILABLE before any GPU time is spent) and the known speakers' clips are decoded; inside the inference slot,
transcription with word timestamps (segments are split at speaker changes between words) and then diarization; after
it, speakers go into the wire result and words leave it again unless the client asked for them."""
from __future__ import annotations

import dataclasses
from typing import Any, Dict, List, Tuple

import numpy as np
from starlette.concurrency import run_in_threadpool

from app.diarization_options import DiarizationAsk
from app.errors import ProblemError
from app.known_speakers_input import decode_known_speakers
from app.result_format import to_wire_result
from runtime.diarization.assign_speakers import assign_speakers
from runtime.diarization.spans import SpeakerTurn
from runtime.diarization.speaker_encoder import SpeakerModelUnavailable
from runtime.diarization.stage import DiarizationRequest, DiarizationStage
from runtime.protocol import RawResult, SpeechRuntime, TranscribeOptions


class DiarizationFlow:
    def __init__(self, runtime: SpeechRuntime, stage: DiarizationStage):
        self.runtime = runtime
        self.stage = stage

    async def prepare(self, ask: DiarizationAsk, workdir: str, decode_timeout_s: float) -> DiarizationRequest:
        try:
            await run_in_threadpool(self.stage.ensure_loaded)  # opening an ONNX file is blocking work
        except SpeakerModelUnavailable as error:
            raise ProblemError("MODEL_UNAVAILABLE", f"Diarization is not available: {error}.") from None
        known = await decode_known_speakers(ask.known_speakers, workdir, decode_timeout_s)
        return DiarizationRequest(ask.speakers, ask.min_speakers, ask.max_speakers, tuple(known))

    def transcribe_and_diarize(self, audio: np.ndarray, options: TranscribeOptions, request: DiarizationRequest) -> Tuple[RawResult, List[SpeakerTurn]]:
        """Blocking, on the inference thread."""
        raw = self.runtime.transcribe(audio, dataclasses.replace(options, word_timestamps=True))
        return raw, self.stage.turns(audio, request)

    @staticmethod
    def labelled_result(raw: RawResult, turns: List[SpeakerTurn], duration: float, want_words: bool) -> Dict[str, Any]:
        result = assign_speakers(to_wire_result(raw, duration, want_words=True), turns)
        if not want_words:
            result.pop("words", None)
            result["segments"] = [{k: v for k, v in segment.items() if k != "words"} for segment in result["segments"]]
        return result
