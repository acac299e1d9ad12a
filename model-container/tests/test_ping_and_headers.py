"""/ping follows the model's state and never waits for inference; request ids flow through."""
import threading
import time

from conftest import make_client, wait_until_ready
from runtime.fake_runtime import FakeRuntime
from runtime.task_router import TaskRouter


def test_ping_is_503_while_loading_then_200():
    with make_client(runtime=TaskRouter(FakeRuntime(load_delay_s=0.4), None, False)) as client:
        first = client.get("/ping")
        assert first.status_code == 503 and first.json()["status"] == "loading"
        wait_until_ready(client)
        ready = client.get("/ping")
        assert ready.status_code == 200 and ready.json() == {"status": "ready", "runtime": "fake", "running": 0}


def test_ping_answers_fast_while_an_inference_runs(audio_files):
    with make_client(max_concurrent_inferences=1) as client:
        wait_until_ready(client)
        audio = audio_files["wav"].read_bytes()
        slow = threading.Thread(
            target=client.post,
            args=("/invocations",),
            kwargs={"content": audio, "headers": {"X-Amzn-SageMaker-Custom-Attributes": "prompt=fake:sleep=2"}},
        )
        slow.start()
        latencies, saw_running = [], False
        deadline = time.monotonic() + 1.5
        while time.monotonic() < deadline and not saw_running:
            started = time.monotonic()
            ping = client.get("/ping")
            latencies.append(time.monotonic() - started)
            assert ping.status_code == 200
            saw_running = ping.json()["running"] == 1
            time.sleep(0.02)
        slow.join()
        assert saw_running, "the inference never showed up as running"
        assert max(latencies) < 0.5, latencies


def test_queued_request_waits_for_the_slot(audio_files):
    with make_client(max_concurrent_inferences=1, max_queued_requests=1, queue_timeout_s=5) as client:
        wait_until_ready(client)
        audio = audio_files["wav"].read_bytes()
        results = {}

        def post(name, prompt):
            headers = {"X-Amzn-SageMaker-Custom-Attributes": f"prompt={prompt}"}
            results[name] = client.post("/invocations", content=audio, headers=headers).status_code

        first = threading.Thread(target=post, args=("first", "fake:sleep=0.6"))
        first.start()
        time.sleep(0.2)
        second = threading.Thread(target=post, args=("second", "hello"))
        second.start()
        first.join()
        second.join()
        assert results == {"first": 200, "second": 200}


def test_request_id_is_echoed_or_assigned(client, audio_files):
    echoed = client.get("/ping", headers={"X-Request-Id": "req-123"})
    assert echoed.headers["x-request-id"] == "req-123"
    minted = client.post("/invocations", content=audio_files["wav"].read_bytes())
    assert len(minted.headers["x-request-id"]) == 32
    unsafe = client.get("/ping", headers={"X-Request-Id": "bad id\twith spaces"})
    assert unsafe.headers["x-request-id"] != "bad id\twith spaces"


def test_execution_parameters_for_batch_transform(client):
    body = client.get("/execution-parameters").json()
    assert body["BatchStrategy"] == "SINGLE_RECORD" and body["MaxConcurrentTransforms"] == 1
