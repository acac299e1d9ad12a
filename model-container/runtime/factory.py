"""Builds the SpeechRuntime named by settings. Imports of heavy model code happen here, lazily,
so RUNTIME=fake (tests, CI) never needs torch or transformers."""
from __future__ import annotations

from functools import partial

from runtime.diarization.speaker_encoder import LazySpeakerEncoder
from runtime.diarization.stage import DiarizationStage
from runtime.model_location import resolve_model_source, resolve_optional_source, resolve_speaker_model
from runtime.protocol import SpeechRuntime
from runtime.task_router import TaskRouter
from settings import Settings


def build_runtime(settings: Settings) -> SpeechRuntime:
    if settings.runtime == "fake":
        from runtime.fake_runtime import FakeRuntime

        primary = FakeRuntime(load_delay_s=settings.fake_load_delay_s, load_error=settings.fake_load_error)
        return TaskRouter(primary, None, settings.allow_untrained_translation)

    from runtime.transformers_runtime import TransformersRuntime

    def make(locate) -> "TransformersRuntime":
        return TransformersRuntime(
            locate=locate,
            device=settings.device,
            dtype=settings.dtype,
            batch_size=settings.batch_size,
            segment_timestamps=settings.segment_timestamps,
        )

    # Paths are resolved inside load() (background thread), so a missing model shows up as
    # /ping 503 plus a clear MODEL_UNAVAILABLE detail instead of a crash before the port opens.
    primary = make(
        partial(
            resolve_model_source,
            settings.model_path,
            settings.model_id,
            settings.sagemaker_model_dir,
            settings.baked_model_dir,
        )
    )
    translator = None
    if settings.translation_model_path or settings.translation_model_id:
        translator = make(partial(resolve_optional_source, settings.translation_model_path, settings.translation_model_id))
    return TaskRouter(primary, translator, settings.allow_untrained_translation)


def build_diarization_stage(settings: Settings) -> DiarizationStage:
    """The speaker model is opened on the first request that asks for diarization, never at start: most requests do
    not, and a container without the model still transcribes."""
    locate = partial(resolve_speaker_model, settings.speaker_model_path, settings.sagemaker_model_dir, settings.baked_model_dir)
    return DiarizationStage(LazySpeakerEncoder(locate, threads=settings.speaker_threads))
