"""The real TransformersRuntime end to end on CPU, on a random-weight Whisper of tiny dims: chunking of long
audio, batching, language detection, word timestamps, translation routing, prompts. Real weights:
test_transformers_real_weights.py; turbo dims on a GPU: tests_gpu/."""
import shutil
import time

import numpy as np

from runtime_support import loaded_runtime, model_dir, speechlike, wav_bytes
from runtime.protocol import OptionNotSupported, TranscribeOptions


def _check_result(result, duration):
    assert set(result) >= {"text", "language", "segments"}
    previous_end = 0.0
    for segment in result["segments"]:
        assert 0.0 <= segment["start"] <= segment["end"] <= duration + 1e-6
        assert segment["start"] >= previous_end - 1e-6, "segments come back in order"
        previous_end = segment["end"]
        assert isinstance(segment["text"], str)


def test_loads_and_reports_translation_training():
    runtime = loaded_runtime()
    assert runtime.loaded and runtime.name.startswith("whisper:")
    assert runtime.translation_trained  # tiny dims: as many decoder as encoder layers
    assert runtime.special.timestamp_begin == 50365 and len(runtime.lang_to_id) == 100


def test_long_audio_is_chunked_batched_and_offset():
    runtime = loaded_runtime()
    audio = speechlike(75.0)
    result = runtime.transcribe(audio, TranscribeOptions(language="en"))
    _check_result(result, 75.0)
    assert result["language"] == "en"
    assert any(s["start"] >= 30.0 for s in result["segments"]), "later chunks are shifted by their offset"


def test_language_detection_returns_a_whisper_language():
    runtime = loaded_runtime()
    result = runtime.transcribe(speechlike(8.0), TranscribeOptions())
    assert "<|%s|>" % result["language"] in runtime.lang_to_id


def test_word_timestamps_probabilities_and_segment_scores():
    runtime = loaded_runtime()
    result = runtime.transcribe(speechlike(40.0), TranscribeOptions(language="en", word_timestamps=True))
    _check_result(result, 40.0)
    words = [w for s in result["segments"] for w in s["words"]]
    assert words, "random weights still produce tokens, hence words"
    for segment in result["segments"]:
        assert segment["avg_logprob"] <= 0.0 and 0.0 <= segment["no_speech_prob"] <= 1.0
        for word in segment["words"]:
            assert 0.0 <= word["start"] <= word["end"] <= 40.0 + 1e-6
            assert 0.0 <= word["probability"] <= 1.0


def test_translate_prompt_temperature():
    runtime = loaded_runtime()
    translated = runtime.transcribe(speechlike(5.0), TranscribeOptions(language="de", task="translate"))
    assert translated["language"] == "en"
    prompted = runtime.transcribe(speechlike(5.0), TranscribeOptions(language="en", prompt="Kubernetes, SageMaker " * 80))
    _check_result(prompted, 5.0)
    sampled = runtime.transcribe(speechlike(5.0), TranscribeOptions(language="en", temperature=0.7))
    _check_result(sampled, 5.0)


def test_prompt_with_special_tokens_is_an_option_error():
    try:
        loaded_runtime().transcribe(speechlike(2.0), TranscribeOptions(language="en", prompt="<|en|> hi"))
    except OptionNotSupported:
        return
    raise AssertionError("expected OptionNotSupported")


def test_without_segment_timestamps_one_segment_per_chunk():
    runtime = loaded_runtime(segment_timestamps=False)
    result = runtime.transcribe(speechlike(65.0), TranscribeOptions(language="en"))
    assert len(result["segments"]) <= 3 and result["segments"][0]["start"] == 0.0


def test_silence_and_tiny_inputs():
    runtime = loaded_runtime()
    for samples in (np.zeros(16_000, np.float32), np.zeros(400, np.float32)):
        _check_result(runtime.transcribe(samples, TranscribeOptions(language="en", word_timestamps=True)), len(samples) / 16_000)


def test_http_app_with_the_real_runtime():
    from fastapi.testclient import TestClient  # requirements-server.txt: missing means a broken environment

    assert shutil.which("ffmpeg"), "ffmpeg is missing from PATH: the server decodes uploads with it (apt-get install ffmpeg)"

    from app.main import create_app
    from settings import Settings

    settings = Settings(runtime="transformers", model_path=model_dir(), batch_size=4)
    app = create_app(settings)
    with TestClient(app) as client:
        deadline = time.monotonic() + 300
        while client.get("/ping").status_code != 200:
            assert time.monotonic() < deadline and client.get("/ping").json()["status"] != "failed", client.get("/ping").json()
            time.sleep(0.2)
        response = client.post(
            "/invocations",
            content=wav_bytes(speechlike(12.0)),
            headers={"Content-Type": "audio/wav", "X-Amzn-SageMaker-Custom-Attributes": "language=en;word_timestamps=true"},
        )
        assert response.status_code == 200, response.text
        assert response.json()["duration"] == 12.0 and "words" in response.json()


def test_chunks_are_decoded_in_batches_of_batch_size():
    runtime = loaded_runtime()  # batch_size 4
    calls = []
    generate = runtime.model.generate

    def counting_generate(**kwargs):
        calls.append(kwargs["input_features"].shape[0])
        return generate(**kwargs)

    runtime.model.generate = counting_generate
    try:
        result = runtime.transcribe(speechlike(100.0), TranscribeOptions(language="en"))
    finally:
        del runtime.model.generate
    _check_result(result, 100.0)
    assert sum(calls) >= 4, "100 s make at least four <= 30 s chunks"
    assert calls == [4] * (sum(calls) // 4) + ([sum(calls) % 4] if sum(calls) % 4 else []), calls


def test_translation_routing_with_real_runtimes():
    from runtime.task_router import TaskRouter

    pruned, full = loaded_runtime("tiny-pruned"), loaded_runtime()
    assert not pruned.translation_trained and full.translation_trained
    audio, translate = speechlike(4.0), TranscribeOptions(language="de", task="translate")
    try:
        TaskRouter(pruned, None, allow_untrained=False).transcribe(audio, translate)
        raise AssertionError("a model not trained for translation must refuse task=translate")
    except OptionNotSupported as error:
        assert "TRANSLATION_MODEL_ID" in str(error)
    routed = TaskRouter(pruned, full, allow_untrained=False)
    used = []
    for runtime in (pruned, full):
        runtime.transcribe = (lambda original, who: lambda *a: used.append(who) or original(*a))(runtime.transcribe, runtime)
    try:
        assert routed.transcribe(audio, translate)["language"] == "en"
        routed.transcribe(audio, TranscribeOptions(language="de"))
    finally:
        del pruned.transcribe, full.transcribe
    assert used == [full, pruned], "translate goes to the translation model, transcribe to the primary"
    forced = TaskRouter(pruned, None, allow_untrained=True).transcribe(audio, translate)
    assert forced["warning"] and forced["language"] == "en"


def test_loading_twice_keeps_the_same_model():
    runtime = loaded_runtime()
    model = runtime.model
    runtime.load()
    assert runtime.model is model
