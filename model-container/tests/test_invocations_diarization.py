"""Diarization through the HTTP protocol, on the real app with the real speaker encoder: the options in both request
forms, speakers on segments and words, known speakers from reference clips, and the stable error codes. The speech
runtime is the fake one where the test needs transcript segments that follow the audio (it names the voiced stretches
and puts a word every 0.4 s), and the real TransformersRuntime once, end to end."""
from __future__ import annotations

import base64
import json

import pytest

from conftest import make_client, wait_until_ready
from diarization_support import decode, speaker_assets
from runtime.fake_runtime import FakeRuntime
from runtime.task_router import TaskRouter
from runtime_support import wav_bytes
from test_invocations_errors import assert_problem
from tests_support import assert_result_shape

ATTRIBUTES = "X-Amzn-SageMaker-Custom-Attributes"
# In pyannote's sample, 10.57–14.70 s is one speaker alone (speaker90 of its RTTM).
ALICE_SECONDS = (10.57, 14.70)


def _client(runtime=None, **overrides):
    settings = {"speaker_model_path": str(speaker_assets().encoder), "inference_timeout_s": 120.0, **overrides}
    return make_client(runtime or TaskRouter(FakeRuntime(), None, allow_untrained=False), **settings)


@pytest.fixture
def diarizing_client():
    with _client() as client:
        wait_until_ready(client)
        yield client


@pytest.fixture(scope="module")
def sample_wav() -> bytes:
    return speaker_assets().sample_wav.read_bytes()


def _clip_base64(seconds) -> str:
    audio = decode(speaker_assets().sample_wav)
    return base64.b64encode(wav_bytes(audio[int(seconds[0] * 16000) : int(seconds[1] * 16000)])).decode()


def _post_json(client, audio: bytes, options: dict):
    body = json.dumps({"audio_base64": base64.b64encode(audio).decode(), "options": options})
    return client.post("/invocations", content=body, headers={"Content-Type": "application/json"})


def test_header_form_labels_two_speakers_and_leaves_words_out(diarizing_client, sample_wav):
    response = diarizing_client.post(
        "/invocations", content=sample_wav, headers={"Content-Type": "audio/wav", ATTRIBUTES: "diarize=true;num_speakers=2"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert_result_shape(body)
    assert {segment["speaker"] for segment in body["segments"]} == {"A", "B"}
    assert "words" not in body and all("words" not in segment for segment in body["segments"])


def test_json_form_splits_segments_where_the_speaker_changes(diarizing_client, sample_wav):
    plain = _post_json(diarizing_client, sample_wav, {"word_timestamps": True}).json()
    response = _post_json(diarizing_client, sample_wav, {"word_timestamps": True, "diarize": True, "min_speakers": 2, "max_speakers": 3})
    assert response.status_code == 200, response.text
    body = response.json()
    assert_result_shape(body)
    assert {segment["speaker"] for segment in body["segments"]} == {"A", "B"}
    # The fake transcript has one segment per voiced stretch; stretches where both people talk are split.
    assert len(body["segments"]) > len(plain["segments"])
    for segment in body["segments"]:
        assert segment["words"] and {word["speaker"] for word in segment["words"]} == {segment["speaker"]}
    assert [w["word"] for w in body["words"]] == [w["word"] for w in plain["words"]]
    assert all(word["speaker"] in ("A", "B") for word in body["words"])


def test_a_known_speaker_is_named(diarizing_client, sample_wav):
    options = {"diarize": True, "known_speakers": [{"name": "Alice", "audio_base64": _clip_base64(ALICE_SECONDS)}]}
    response = _post_json(diarizing_client, sample_wav, options)
    assert response.status_code == 200, response.text
    speakers = {segment["speaker"] for segment in response.json()["segments"]}
    assert "Alice" in speakers and len(speakers) == 2


def test_the_real_transformers_runtime_end_to_end(sample_wav):
    from runtime_support import loaded_runtime

    with _client(TaskRouter(loaded_runtime(), None, allow_untrained=False)) as client:
        wait_until_ready(client)
        response = client.post(
            "/invocations",
            content=sample_wav,
            headers={"Content-Type": "audio/wav", ATTRIBUTES: "language=en;diarize=true;word_timestamps=true"},
        )
    assert response.status_code == 200, response.text
    body = response.json()
    assert_result_shape(body)
    assert body["segments"] and all(segment["speaker"] in ("A", "B", "C") for segment in body["segments"])
    for segment in body["segments"]:
        assert all(word["speaker"] == segment["speaker"] for word in segment["words"])


@pytest.mark.parametrize(
    "attributes, option",
    [
        ("diarize=true;num_speakers=0", "num_speakers"),
        ("diarize=true;num_speakers=17", "num_speakers"),
        ("diarize=true;max_speakers=two", "max_speakers"),
        ("diarize=true;num_speakers=2;max_speakers=3", "num_speakers"),
        ("diarize=true;min_speakers=4;max_speakers=2", "min_speakers"),
        ("diarize=maybe", "diarize"),
        ("num_speakers=2", "num_speakers"),
        ("diarize=false;min_speakers=2", "min_speakers"),
        ("diarize=true;known_speakers=x", "known_speakers"),
    ],
)
def test_bad_header_options_are_invalid_option(diarizing_client, sample_wav, attributes, option):
    response = diarizing_client.post("/invocations", content=sample_wav, headers={"Content-Type": "audio/wav", ATTRIBUTES: attributes})
    assert assert_problem(response, 400, "INVALID_OPTION")["option"] == option


def _known(name="Alice", audio_base64=None):
    return {"name": name, "audio_base64": audio_base64 if audio_base64 is not None else _clip_base64(ALICE_SECONDS)}


@pytest.mark.parametrize(
    "known, detail",
    [
        ("Alice", "list"),
        ([_known(f"S{i}") for i in range(5)], "At most 4"),
        ([_known(), _known()], "twice"),
        ([_known(name="")], "printable"),
        ([{"name": "Alice"}], "audio_base64"),
        ([_known(audio_base64="not base64!")], "base64"),
        ([_known(audio_base64=base64.b64encode(b"just some text, not audio at all").decode())], "not usable audio"),
        ([_known(audio_base64="")], "empty"),
    ],
)
def test_bad_known_speakers_are_invalid_option(diarizing_client, sample_wav, known, detail):
    response = _post_json(diarizing_client, sample_wav, {"diarize": True, "known_speakers": known})
    body = assert_problem(response, 400, "INVALID_OPTION")
    assert body["option"] == "known_speakers" and detail in body["detail"]


@pytest.mark.parametrize("seconds, detail", [((10.0, 11.0), "1.0 s"), ((0.0, 12.0), "longer than 10")])
def test_known_speaker_clips_must_last_2_to_10_seconds(diarizing_client, sample_wav, seconds, detail):
    response = _post_json(diarizing_client, sample_wav, {"diarize": True, "known_speakers": [_known(audio_base64=_clip_base64(seconds))]})
    assert detail in assert_problem(response, 400, "INVALID_OPTION")["detail"]


@pytest.mark.parametrize("speaker_model", ["none", "missing-file", "not-onnx"])
def test_no_usable_speaker_model_is_model_unavailable(tmp_path, sample_wav, speaker_model):
    path = {"none": None, "missing-file": str(tmp_path / "absent.onnx"), "not-onnx": str(tmp_path / "text.onnx")}[speaker_model]
    (tmp_path / "text.onnx").write_text("not a model")
    with _client(speaker_model_path=path, sagemaker_model_dir=str(tmp_path), baked_model_dir=str(tmp_path)) as client:
        wait_until_ready(client)
        response = client.post("/invocations", content=sample_wav, headers={"Content-Type": "audio/wav", ATTRIBUTES: "diarize=true"})
        body = assert_problem(response, 503, "MODEL_UNAVAILABLE")
        assert "speaker model" in body["detail"]
        # Transcription alone still works without it.
        assert client.post("/invocations", content=sample_wav, headers={"Content-Type": "audio/wav"}).status_code == 200


def test_the_speaker_model_is_found_in_the_sagemaker_model_directory(tmp_path, sample_wav):
    (tmp_path / "speaker").mkdir()
    (tmp_path / "speaker" / "campplus-3dspeaker.onnx").write_bytes(speaker_assets().encoder.read_bytes())
    with _client(speaker_model_path=None, sagemaker_model_dir=str(tmp_path)) as client:
        wait_until_ready(client)
        response = client.post("/invocations", content=sample_wav, headers={"Content-Type": "audio/wav", ATTRIBUTES: "diarize=true"})
    assert response.status_code == 200 and {s["speaker"] for s in response.json()["segments"]} == {"A", "B"}
