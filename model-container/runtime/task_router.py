"""Sends task=translate to a second model when one is configured.

Whisper large-v3-turbo (and distil-whisper) keep the 32-layer encoder but prune the decoder and
fine-tune it on transcription only: asked to translate, they mostly transcribe. So translation
goes to TRANSLATION_MODEL_ID/PATH (e.g. openai/whisper-large-v3) when set; without it, the
request is refused with an explanation unless ALLOW_UNTRAINED_TRANSLATION=true, in which case
the primary model is used and the result carries a warning.
"""
from __future__ import annotations

import logging
from typing import Optional

import numpy as np

from runtime.protocol import OptionNotSupported, RawResult, SpeechRuntime, TranscribeOptions

log = logging.getLogger("model-container.runtime")

UNTRAINED_TRANSLATION = (
    "The loaded model ({name}) was not trained for translation (its decoder was pruned and fine-tuned "
    "on transcription only), so task=translate would mostly return a transcript. Configure "
    "TRANSLATION_MODEL_ID or TRANSLATION_MODEL_PATH (e.g. openai/whisper-large-v3), or set "
    "ALLOW_UNTRAINED_TRANSLATION=true to use it anyway."
)


class TaskRouter:
    def __init__(self, primary: SpeechRuntime, translator: Optional[SpeechRuntime], allow_untrained: bool):
        self.primary = primary
        self.translator = translator
        self.allow_untrained = allow_untrained
        self.name = primary.name if translator is None else f"{primary.name}+{translator.name}"

    @property
    def loaded(self) -> bool:
        return self.primary.loaded and (self.translator is None or self.translator.loaded)

    @property
    def translation_trained(self) -> bool:
        return self.translator is not None or self.primary.translation_trained

    def load(self) -> None:
        self.primary.load()
        if self.translator is not None:
            self.translator.load()

    def transcribe(self, audio: np.ndarray, options: TranscribeOptions) -> RawResult:
        if options.task != "translate":
            return self.primary.transcribe(audio, options)
        if self.translator is not None:
            return self.translator.transcribe(audio, options)
        if self.primary.translation_trained:
            return self.primary.transcribe(audio, options)
        message = UNTRAINED_TRANSLATION.format(name=self.primary.name)
        if not self.allow_untrained:
            raise OptionNotSupported(message)
        log.warning("translating with a model not trained for it (ALLOW_UNTRAINED_TRANSLATION=true)")
        result = dict(self.primary.transcribe(audio, options))
        result["warning"] = "model not trained for translation; output may be a transcript"
        return result
