"""One typed settings object, read from the environment once at startup.

Plain dataclass + explicit parsing rather than pydantic-settings (one package fewer to pin), and every
problem is reported at once.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable, List, Mapping, Optional, TypeVar

T = TypeVar("T")

RUNTIMES = ("transformers", "fake")
DEVICES = ("auto", "cuda", "cpu")
DTYPES = ("auto", "float16", "bfloat16", "float32")


class SettingsError(ValueError):
    def __init__(self, problems: List[str]):
        super().__init__("invalid settings: " + "; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Settings:
    # Which SpeechRuntime to build. "fake" is for tests only (see runtime/fake_runtime.py).
    runtime: str = "transformers"

    # --- server (SageMaker contract: port 8080 unless SAGEMAKER_BIND_TO_PORT says otherwise) ---
    host: str = "0.0.0.0"
    port: int = 8080
    workers: int = 1  # SAGEMAKER_MODEL_SERVER_WORKERS; each worker process loads its own model
    shutdown_grace_s: float = 25.0  # SageMaker sends SIGKILL 30 s after SIGTERM
    log_level: str = "info"

    # --- model location (first match wins, see runtime/model_location.py) ---
    model_path: Optional[str] = None
    model_id: Optional[str] = None
    sagemaker_model_dir: str = "/opt/ml/model"
    baked_model_dir: str = "/opt/baked-model"
    translation_model_path: Optional[str] = None
    translation_model_id: Optional[str] = None
    allow_untrained_translation: bool = False

    # --- diarization: the speaker encoder (ONNX); else speaker/campplus-3dspeaker.onnx in a model directory ---
    speaker_model_path: Optional[str] = None
    speaker_threads: int = 1  # onnxruntime intra-op threads for the speaker encoder

    # --- transformers runtime ---
    device: str = "auto"
    dtype: str = "auto"
    batch_size: int = 8  # 30 s chunks decoded together
    segment_timestamps: bool = True

    # --- admission control and limits ---
    max_concurrent_inferences: int = 1
    max_queued_requests: int = 8
    queue_timeout_s: float = 30.0
    inference_timeout_s: float = 900.0
    max_body_bytes: int = 1024 * 1024 * 1024  # async endpoints accept up to 1 GB
    max_audio_seconds: float = 4 * 3600.0
    decode_timeout_s: float = 300.0

    # --- fake runtime knobs (tests only) ---
    fake_load_delay_s: float = 0.0
    fake_load_error: Optional[str] = None

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "Settings":
        return _Reader(os.environ if env is None else env).build()


class _Reader:
    def __init__(self, env: Mapping[str, str]):
        self.env = env
        self.problems: List[str] = []

    def _get(self, names: List[str]) -> Optional[str]:
        for name in names:
            value = self.env.get(name)
            if value is not None and value.strip() != "":
                return value.strip()
        return None

    def _parse(self, names: List[str], default: T, convert: Callable[[str], T], check=None, hint="") -> T:
        raw = self._get(names)
        if raw is None:
            return default
        try:
            value = convert(raw)
        except ValueError:
            self.problems.append(f"{names[0]}={raw!r} is not {hint}")
            return default
        if check is not None and not check(value):
            self.problems.append(f"{names[0]}={raw!r} is out of range ({hint})")
            return default
        return value

    def integer(self, names, default, minimum=0):
        return self._parse(names, default, int, lambda v: v >= minimum, f"an integer >= {minimum}")

    def number(self, names, default, minimum=0.0):
        return self._parse(names, default, float, lambda v: v >= minimum, f"a number >= {minimum}")

    def boolean(self, names, default):
        def to_bool(raw: str) -> bool:
            lowered = raw.lower()
            if lowered in ("1", "true", "yes", "on"):
                return True
            if lowered in ("0", "false", "no", "off"):
                return False
            raise ValueError(raw)

        return self._parse(names, default, to_bool, hint="a boolean (true/false)")

    def choice(self, names, default, choices):
        return self._parse(names, default, str.lower, lambda v: v in choices, "one of " + ", ".join(choices))

    def text(self, names, default=None):
        raw = self._get(names)
        return default if raw is None else raw

    def build(self) -> Settings:
        d = Settings()
        # SageMaker passes its model-server timeout in seconds; our own name wins when both are set.
        timeout = self.number(["INFERENCE_TIMEOUT_S", "SAGEMAKER_MODEL_SERVER_TIMEOUT"], d.inference_timeout_s, 1.0)
        settings = Settings(
            runtime=self.choice(["RUNTIME"], d.runtime, RUNTIMES),
            host=self.text(["HOST"], d.host),
            port=self.integer(["SAGEMAKER_BIND_TO_PORT", "MODEL_SERVER_PORT"], d.port, 1),
            workers=self.integer(["SAGEMAKER_MODEL_SERVER_WORKERS", "MODEL_SERVER_WORKERS"], d.workers, 1),
            shutdown_grace_s=self.number(["SHUTDOWN_GRACE_S"], d.shutdown_grace_s, 0.0),
            log_level=self.choice(["LOG_LEVEL"], d.log_level, ("debug", "info", "warning", "error")),
            model_path=self.text(["MODEL_PATH"]),
            model_id=self.text(["MODEL_ID"]),
            sagemaker_model_dir=self.text(["SAGEMAKER_MODEL_DIR"], d.sagemaker_model_dir),
            baked_model_dir=self.text(["BAKED_MODEL_DIR"], d.baked_model_dir),
            translation_model_path=self.text(["TRANSLATION_MODEL_PATH"]),
            translation_model_id=self.text(["TRANSLATION_MODEL_ID"]),
            allow_untrained_translation=self.boolean(["ALLOW_UNTRAINED_TRANSLATION"], d.allow_untrained_translation),
            speaker_model_path=self.text(["SPEAKER_MODEL_PATH"]),
            speaker_threads=self.integer(["SPEAKER_THREADS"], d.speaker_threads, 1),
            device=self.choice(["DEVICE"], d.device, DEVICES),
            dtype=self.choice(["DTYPE"], d.dtype, DTYPES),
            batch_size=self.integer(["BATCH_SIZE"], d.batch_size, 1),
            segment_timestamps=self.boolean(["SEGMENT_TIMESTAMPS"], d.segment_timestamps),
            max_concurrent_inferences=self.integer(["MAX_CONCURRENT_INFERENCES"], d.max_concurrent_inferences, 1),
            max_queued_requests=self.integer(["MAX_QUEUED_REQUESTS"], d.max_queued_requests, 0),
            queue_timeout_s=self.number(["QUEUE_TIMEOUT_S"], d.queue_timeout_s, 0.0),
            inference_timeout_s=timeout,
            max_body_bytes=self.integer(["MAX_BODY_BYTES"], d.max_body_bytes, 1),
            max_audio_seconds=self.number(["MAX_AUDIO_SECONDS"], d.max_audio_seconds, 1.0),
            decode_timeout_s=self.number(["DECODE_TIMEOUT_S"], d.decode_timeout_s, 1.0),
            fake_load_delay_s=self.number(["FAKE_LOAD_DELAY_S"], d.fake_load_delay_s, 0.0),
            fake_load_error=self.text(["FAKE_LOAD_ERROR"]),
        )
        if self.problems:
            raise SettingsError(self.problems)
        return settings
