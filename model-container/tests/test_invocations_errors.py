"""Bad input and engine faults answer with the stable codes, in problem+json, with the request id."""
import base64

import pytest

from conftest import make_client, wait_for_status, wait_until_ready
from runtime.fake_runtime import FakeRuntime
from runtime.task_router import TaskRouter

ATTRIBUTES = "X-Amzn-SageMaker-Custom-Attributes"


def assert_problem(response, status, code):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == code and body["status"] == status
    assert body["type"].endswith(code) and body["title"] and body["detail"]
    assert body["request_id"] == response.headers["x-request-id"]
    return body


def test_empty_body(client):
    assert_problem(client.post("/invocations", content=b"", headers={"Content-Type": "audio/wav"}), 400, "EMPTY_FILE")


def test_text_file_is_unsupported_media(client, audio_files):
    response = client.post("/invocations", content=audio_files["text"].read_bytes(), headers={"Content-Type": "audio/wav"})
    body = assert_problem(response, 415, "UNSUPPORTED_MEDIA")
    assert "flac" in body["accepted"]


def test_unsupported_content_type(client, audio_files):
    response = client.post("/invocations", content=audio_files["wav"].read_bytes(), headers={"Content-Type": "text/plain"})
    assert_problem(response, 415, "UNSUPPORTED_MEDIA")


@pytest.mark.parametrize("fmt", ["m4a", "flac", "ogg", "webm", "wav"])
def test_truncated_audio_is_undecodable(client, audio_files, fmt):
    # Only the container header survives: the format is recognised, the audio is not there.
    head = audio_files[fmt].read_bytes()[:60]
    assert_problem(client.post("/invocations", content=head, headers={"Content-Type": "audio/" + fmt}), 422, "UNDECODABLE_AUDIO")


def test_corrupt_body_after_a_valid_magic_number(client):
    assert_problem(client.post("/invocations", content=b"fLaC" + b"\x00" * 500), 422, "UNDECODABLE_AUDIO")


@pytest.mark.parametrize(
    "attributes, option",
    [
        ("language=xx", "language"),
        ("task=summarize", "task"),
        ("temperature=2", "temperature"),
        ("temperature=hot", "temperature"),
        ("word_timestamps=maybe", "word_timestamps"),
        ("granularity=sentence", "granularity"),
        ("beam=5", "beam"),
        ("language", "language"),
    ],
)
def test_bad_options(client, audio_files, attributes, option):
    response = client.post(
        "/invocations", content=audio_files["wav"].read_bytes(), headers={"Content-Type": "audio/wav", ATTRIBUTES: attributes}
    )
    assert assert_problem(response, 400, "INVALID_OPTION")["option"] == option


def test_json_errors(client):
    assert_problem(client.post("/invocations", content=b"{not json", headers={"Content-Type": "application/json"}), 400, "INVALID_OPTION")
    assert_problem(client.post("/invocations", json={"options": {}}), 400, "MISSING_FILE")
    assert_problem(client.post("/invocations", json={"audio_base64": "@@not base64@@"}), 422, "UNDECODABLE_AUDIO")
    assert_problem(client.post("/invocations", json={"audio_base64": ""}), 400, "EMPTY_FILE")
    ok_audio = base64.b64encode(b"RIFF").decode()
    assert_problem(client.post("/invocations", json={"audio_base64": ok_audio, "options": []}), 400, "INVALID_OPTION")


def test_body_over_the_size_limit():
    with make_client(max_body_bytes=1000) as client:
        wait_until_ready(client)
        body = assert_problem(client.post("/invocations", content=b"\x00" * 5000), 413, "FILE_TOO_LARGE")
        assert body["limit_bytes"] == 1000


def test_audio_over_the_duration_limit(audio_files):
    with make_client(max_audio_seconds=2.0) as client:
        wait_until_ready(client)
        response = client.post("/invocations", content=audio_files["flac"].read_bytes())
        assert assert_problem(response, 422, "AUDIO_TOO_LONG")["limit_seconds"] == 2.0


def test_model_still_loading_is_unavailable(audio_files):
    with make_client(runtime=TaskRouter(FakeRuntime(load_delay_s=30), None, False)) as client:
        response = client.post("/invocations", content=audio_files["wav"].read_bytes())
        assert_problem(response, 503, "MODEL_UNAVAILABLE")
        assert response.headers["retry-after"] == "5"


def test_model_that_failed_to_load_is_unavailable(audio_files):
    with make_client(runtime=TaskRouter(FakeRuntime(load_error="weights missing"), None, False)) as client:
        wait_for_status(client, "failed")
        ping = client.get("/ping")
        assert ping.status_code == 503 and "weights missing" in ping.json()["error"]
        body = assert_problem(client.post("/invocations", content=audio_files["wav"].read_bytes()), 503, "MODEL_UNAVAILABLE")
        assert "weights missing" in body["detail"]


def test_runtime_crash_is_engine_failed(client, audio_files):
    response = client.post("/invocations", content=audio_files["wav"].read_bytes(), headers={ATTRIBUTES: "prompt=fake%3Acrash"})
    assert "asked to crash" in assert_problem(response, 502, "ENGINE_FAILED")["detail"]
    assert client.get("/ping").status_code == 200  # one failed request does not make the engine unhealthy


def test_runtime_hang_is_engine_timeout_then_busy_then_stalled(audio_files):
    with make_client(inference_timeout_s=0.5, max_concurrent_inferences=1, max_queued_requests=0) as client:
        wait_until_ready(client)
        audio = audio_files["wav"].read_bytes()
        hang = client.post("/invocations", content=audio, headers={ATTRIBUTES: "prompt=fake:hang"})
        assert_problem(hang, 504, "ENGINE_TIMEOUT")
        # The hung call still holds the only slot, so the next request is turned away at once...
        busy = client.post("/invocations", content=audio)
        assert_problem(busy, 503, "ENGINE_BUSY")
        assert int(busy.headers["retry-after"]) >= 1
        # ...and /ping reports the wedged engine so SageMaker can replace the instance.
        assert client.get("/ping").status_code == 503 and client.get("/ping").json()["status"] == "stalled"


def test_translation_refused_for_a_model_not_trained_for_it(audio_files):
    runtime = TaskRouter(FakeRuntime(translation_trained=False), None, allow_untrained=False)
    with make_client(runtime=runtime) as client:
        wait_until_ready(client)
        response = client.post("/invocations", content=audio_files["wav"].read_bytes(), headers={ATTRIBUTES: "task=translate"})
        body = assert_problem(response, 400, "INVALID_OPTION")
        assert "not trained for translation" in body["detail"] and "TRANSLATION_MODEL_ID" in body["detail"]


def test_unknown_route_and_method(client):
    assert_problem(client.get("/nope"), 404, "NOT_FOUND")
    assert_problem(client.get("/invocations"), 404, "NOT_FOUND")


def test_transformers_runtime_without_a_model_reports_why(audio_files):
    # The production factory path: no weights anywhere -> /ping 503 "failed" with the reason,
    # and invocations answer MODEL_UNAVAILABLE (torch is not even needed to get this far).
    from app.main import create_app
    from fastapi.testclient import TestClient
    from settings import Settings

    settings = Settings(runtime="transformers", model_path="/nonexistent/whisper")
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        wait_for_status(client, "failed")
        ping = client.get("/ping").json()
        assert ping["status"] == "failed" and "MODEL_PATH=/nonexistent/whisper" in ping["error"]
        body = assert_problem(client.post("/invocations", content=audio_files["wav"].read_bytes()), 503, "MODEL_UNAVAILABLE")
        assert "MODEL_PATH" in body["detail"]
