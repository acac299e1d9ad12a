"""POST /invocations with real audio in every accepted format, raw and JSON+base64, through the real
TransformersRuntime (random-weight tiny Whisper)."""
import base64

import pytest

from tests_support import assert_result_shape

CONTENT_TYPES = {
    "wav": "audio/wav",
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "flac": "audio/flac",
    "ogg": "audio/ogg",
    "webm": "audio/webm",
}


@pytest.mark.parametrize("fmt", sorted(CONTENT_TYPES))
def test_every_format_transcribes(real_client, audio_files, fmt):
    client = real_client
    response = client.post("/invocations", content=audio_files[fmt].read_bytes(), headers={"Content-Type": CONTENT_TYPES[fmt]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert_result_shape(body)
    assert 3.0 < body["duration"] < 8.0
    assert body["segments"], "the random-weight model emits tokens, hence segments"
    assert "words" not in body


@pytest.mark.parametrize("fmt", ["mp3", "webm"])
def test_format_is_read_from_content_not_from_header(client, audio_files, fmt):
    response = client.post(
        "/invocations", content=audio_files[fmt].read_bytes(), headers={"Content-Type": "application/octet-stream"}
    )
    assert response.status_code == 200, response.text
    wrong = client.post("/invocations", content=audio_files[fmt].read_bytes(), headers={"Content-Type": "audio/flac"})
    assert wrong.status_code == 200, wrong.text


def test_json_base64_input_with_options(real_client, audio_files):
    client = real_client
    document = {
        "audio_base64": base64.b64encode(audio_files["flac"].read_bytes()).decode(),
        "options": {"language": "de", "wordTimestamps": True, "temperature": 0.2},
    }
    response = client.post("/invocations", json=document)
    assert response.status_code == 200, response.text
    body = response.json()
    assert_result_shape(body)
    assert body["language"] == "de"
    assert body["words"] and all("probability" in w for w in body["words"])
    assert body["words"] == [w for s in body["segments"] for w in s["words"]]
