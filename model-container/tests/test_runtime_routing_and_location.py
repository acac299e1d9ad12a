"""Translation routing between two models, and where the weights are looked for."""
import json

import numpy as np
import pytest

from runtime.fake_runtime import FakeRuntime
from runtime.model_location import ModelNotFound, resolve_model_source
from runtime.protocol import OptionNotSupported, SpeechRuntime, TranscribeOptions
from runtime.task_router import TaskRouter

SPEECH = np.concatenate([np.zeros(8000), np.sin(np.arange(16000) / 3.0) * 0.5, np.zeros(8000)]).astype(np.float32)
TRANSLATE = TranscribeOptions(task="translate")


class Recording(FakeRuntime):
    def __init__(self, name, translation_trained):
        super().__init__(translation_trained=translation_trained)
        self.name, self.calls = name, 0

    def transcribe(self, audio, options):
        self.calls += 1
        return super().transcribe(audio, options)


def test_fake_runtime_satisfies_the_protocol():
    assert isinstance(FakeRuntime(), SpeechRuntime)
    assert isinstance(TaskRouter(FakeRuntime(), None, False), SpeechRuntime)


def test_translate_goes_to_the_translation_model():
    turbo, large = Recording("turbo", False), Recording("large", True)
    router = TaskRouter(turbo, large, allow_untrained=False)
    router.load()
    assert router.loaded and router.translation_trained and router.name == "turbo+large"
    router.transcribe(SPEECH, TRANSLATE)
    router.transcribe(SPEECH, TranscribeOptions())
    assert (turbo.calls, large.calls) == (1, 1)


def test_untrained_translation_is_refused_or_warned():
    turbo = Recording("turbo", False)
    turbo.load()
    with pytest.raises(OptionNotSupported, match="not trained for translation"):
        TaskRouter(turbo, None, allow_untrained=False).transcribe(SPEECH, TRANSLATE)
    result = TaskRouter(turbo, None, allow_untrained=True).transcribe(SPEECH, TRANSLATE)
    assert "warning" in result and result["language"] == "en"


def test_fake_runtime_honours_options():
    runtime = FakeRuntime()
    runtime.load()
    plain = runtime.transcribe(SPEECH, TranscribeOptions(language="sv"))
    assert plain["language"] == "sv" and len(plain["segments"]) == 1 and "words" not in plain["segments"][0]
    start, end = plain["segments"][0]["start"], plain["segments"][0]["end"]
    assert 0.45 <= start <= 0.55 and 1.45 <= end <= 1.55
    worded = runtime.transcribe(SPEECH, TranscribeOptions(word_timestamps=True))
    assert worded["segments"][0]["words"][0]["start"] == start
    assert runtime.transcribe(np.zeros(16000, np.float32), TranscribeOptions())["segments"] == []


def test_model_location_order(tmp_path):
    sagemaker, baked, explicit = tmp_path / "ml", tmp_path / "baked", tmp_path / "explicit"
    for folder in (sagemaker / "whisper", baked, explicit):
        folder.mkdir(parents=True)
        (folder / "config.json").write_text(json.dumps({"model_type": "whisper"}))
    assert resolve_model_source(str(explicit), "hub/id", str(sagemaker), str(baked)) == str(explicit)
    # A tarball packed with a top-level folder still works.
    assert resolve_model_source(None, "hub/id", str(sagemaker), str(baked)) == str(sagemaker / "whisper")
    assert resolve_model_source(None, "hub/id", str(tmp_path / "missing"), str(baked)) == str(baked)
    assert resolve_model_source(None, "hub/id", None, None) == "hub/id"
    with pytest.raises(ModelNotFound, match="MODEL_PATH"):
        resolve_model_source(str(tmp_path / "nope"), None, None, None)
    with pytest.raises(ModelNotFound, match="no model"):
        resolve_model_source(None, None, str(tmp_path / "missing"), None)
