"""TransformersRuntime end to end on a random-weight Whisper (tiny dims everywhere, turbo dims on
a GPU). Not part of CI (needs torch + transformers). Run: see model-container/README.md."""
import shutil
import time

import numpy as np

from gpu_support import loaded_runtime, model_dir, speechlike, wav_bytes
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
    try:
        from fastapi.testclient import TestClient
    except ImportError:
        print("fastapi/httpx missing: HTTP round trip not run")
        return
    if shutil.which("ffmpeg") is None:
        print("ffmpeg missing: HTTP round trip not run")
        return

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


def test_turbo_dims_on_gpu():
    import torch

    if not torch.cuda.is_available():
        print("no CUDA device: turbo-dims test not run")
        return
    runtime = loaded_runtime("turbo", batch_size=8)
    assert runtime.dtype == torch.float16 and not runtime.translation_trained  # 32 encoder vs 4 decoder layers
    audio = speechlike(240.0)
    started = time.monotonic()
    result = runtime.transcribe(audio, TranscribeOptions(language="en", word_timestamps=True))
    elapsed = time.monotonic() - started
    _check_result(result, 240.0)
    print(f"turbo dims, 240 s audio, batch 8, word timestamps, 40 tokens/chunk: {elapsed:.2f} s")
    assert elapsed < 60
