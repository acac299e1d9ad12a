"""The GE2E speaker encoder (Resemblyzer's weights, exported to ONNX by `npm run models:speaker`) on onnxruntime,
the same file the API runs with onnxruntime-node. One intra-op thread by default: diarization runs beside Whisper,
which owns the GPU, and a single core already embeds far faster than real time.

Input `mels` float32 [batch, frames, 40] (power mel); output `embeddings` float32 [batch, 256], L2-normalised."""
from __future__ import annotations

import os
import threading
from typing import Callable, Optional

import numpy as np

from runtime.diarization.mel_frontend import MEL_BANDS


class SpeakerModelUnavailable(RuntimeError):
    """No usable speaker encoder: diarization cannot run (the HTTP layer answers MODEL_UNAVAILABLE)."""


class OnnxSpeakerEncoder:
    def __init__(self, path: str, threads: int = 1):
        import onnxruntime  # imported here: a container that never diarizes never loads it

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        try:
            self._session = onnxruntime.InferenceSession(path, options, providers=["CPUExecutionProvider"])
        except Exception as error:  # onnxruntime raises its own types for unreadable or foreign files
            raise SpeakerModelUnavailable(f"the speaker model {path} could not be loaded: {error}") from error
        inputs = [i.name for i in self._session.get_inputs()]
        outputs = [o.name for o in self._session.get_outputs()]
        if inputs[:1] != ["mels"] or "embeddings" not in outputs:
            raise SpeakerModelUnavailable(f"{path} is not the speaker encoder export (inputs {', '.join(inputs)})")

    def embed(self, mels: np.ndarray) -> np.ndarray:
        """[count, frames, 40] float32 → [count, 256] float32."""
        batch = np.ascontiguousarray(mels, dtype=np.float32)
        if batch.ndim != 3 or batch.shape[2] != MEL_BANDS:
            raise ValueError(f"mels must be [count, frames, {MEL_BANDS}], got {batch.shape}")
        return self._session.run(["embeddings"], {"mels": batch})[0]


class LazySpeakerEncoder:
    """Opens the encoder on first use, once per process, from the path `locate` names (None: not configured)."""

    def __init__(self, locate: Callable[[], Optional[str]], threads: int = 1):
        self._locate = locate
        self._threads = threads
        self._encoder: Optional[OnnxSpeakerEncoder] = None
        self._lock = threading.Lock()

    def get(self) -> OnnxSpeakerEncoder:
        with self._lock:
            if self._encoder is None:
                path = self._locate()
                if path is None:
                    raise SpeakerModelUnavailable(
                        "diarization needs the speaker model, and none is configured: set SPEAKER_MODEL_PATH to "
                        "ge2e-resemblyzer.onnx (npm run models:speaker makes it), or put it at speaker/ge2e-resemblyzer.onnx "
                        "in the model directory"
                    )
                if not os.path.isfile(path):
                    raise SpeakerModelUnavailable(f"the speaker model {path} does not exist")
                self._encoder = OnnxSpeakerEncoder(path, self._threads)
            return self._encoder
