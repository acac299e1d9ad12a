"""The CAM++ speaker encoder (3D-Speaker's weights, exported to ONNX by `npm run models:speaker`) on onnxruntime,
the same file the API runs with onnxruntime-node. One intra-op thread by default: diarization runs beside Whisper,
which owns the GPU, and a single core already embeds far faster than real time.

Inputs `fbank` float32 [1, frames, 80] (Kaldi log-mel, band means over the pass removed) and `windows` float32
[count, floor((frames - 1) / 2) + 1] (0/1 rows over the 20 ms frame-level outputs); output `embeddings` float32
[count, 192], L2-normalised."""
from __future__ import annotations

import os
import threading
from typing import Callable, Optional

import numpy as np

from runtime.diarization.embedding_passes import frame_outputs
from runtime.diarization.kaldi_fbank import FBANK_BANDS

SPEAKER_MODEL_NAME = "campplus-3dspeaker.onnx"


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
        if inputs != ["fbank", "windows"] or "embeddings" not in outputs:
            raise SpeakerModelUnavailable(
                f"{path} is not the {SPEAKER_MODEL_NAME} export (inputs {', '.join(inputs)}): npm run models:speaker makes it"
            )

    def embed(self, fbank: np.ndarray, windows: np.ndarray) -> np.ndarray:
        """fbank [1, frames, 80], windows [count, frame_outputs(frames)] → [count, 192] float32."""
        features = np.ascontiguousarray(fbank, dtype=np.float32)
        rows = np.ascontiguousarray(windows, dtype=np.float32)
        if features.ndim != 3 or features.shape[0] != 1 or features.shape[2] != FBANK_BANDS:
            raise ValueError(f"fbank must be [1, frames, {FBANK_BANDS}], got {features.shape}")
        if rows.ndim != 2 or rows.shape[1] != frame_outputs(features.shape[1]):
            raise ValueError(f"windows must be [count, {frame_outputs(features.shape[1])}], got {rows.shape}")
        return self._session.run(["embeddings"], {"fbank": features, "windows": rows})[0]


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
                        f"diarization needs the speaker model, and none is configured: set SPEAKER_MODEL_PATH to "
                        f"{SPEAKER_MODEL_NAME} (npm run models:speaker makes it), or put it at speaker/{SPEAKER_MODEL_NAME} "
                        "in the model directory"
                    )
                if not os.path.isfile(path):
                    raise SpeakerModelUnavailable(f"the speaker model {path} does not exist")
                self._encoder = OnnxSpeakerEncoder(path, self._threads)
            return self._encoder
