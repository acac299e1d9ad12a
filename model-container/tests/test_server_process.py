"""The real `serve` entry point as a subprocess, the way SageMaker runs the image."""
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

SERVE = Path(__file__).resolve().parents[1] / "serve"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, **env):
        self.port = free_port()
        environment = {k: v for k, v in os.environ.items() if not k.startswith(("SAGEMAKER_", "MODEL_"))}
        environment.update(RUNTIME="fake", HOST="127.0.0.1", SAGEMAKER_BIND_TO_PORT=str(self.port), LOG_LEVEL="warning")
        environment.update({k: str(v) for k, v in env.items()})
        self.started = time.monotonic()
        self.process = subprocess.Popen([sys.executable, str(SERVE), "serve"], env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}"

    def seconds_until_connectable(self, limit_s=10.0) -> float:
        while time.monotonic() - self.started < limit_s:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.05).close()
                return time.monotonic() - self.started
            except OSError:
                time.sleep(0.002)
        raise AssertionError("the port never accepted a connection")

    def wait_for_ping(self, status: int, limit_s=15.0) -> None:
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/ping", timeout=1.0).status_code == status:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.02)
        raise AssertionError(f"/ping never answered {status}")

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.kill()
        output, _ = self.process.communicate(timeout=10)
        return output.decode(errors="replace")


@pytest.fixture
def start_server():
    servers = []

    def start(**env) -> Server:
        server = Server(**env)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def post_in_background(server: Server, audio: bytes, prompt: str, results: dict) -> threading.Thread:
    def post():
        headers = {"Content-Type": "audio/wav", "X-Amzn-SageMaker-Custom-Attributes": f"prompt={prompt}"}
        response = httpx.post(server.url + "/invocations", content=audio, headers=headers, timeout=60)
        results["status"], results["body"] = response.status_code, response.json()

    thread = threading.Thread(target=post)
    thread.start()
    return thread


def test_port_accepts_fast_and_ping_flips_when_the_model_is_loaded(start_server):
    server = start_server(FAKE_LOAD_DELAY_S=1.5)
    connect_s = server.seconds_until_connectable()
    assert connect_s < 0.25, f"first TCP connection after {connect_s:.3f} s"
    server.wait_for_ping(503)
    loading = httpx.get(server.url + "/ping")
    assert loading.json()["status"] == "loading"
    server.wait_for_ping(200)
    assert time.monotonic() - server.started >= 1.5


def test_sigterm_lets_the_in_flight_request_finish_and_exits_0(start_server, audio_files):
    server = start_server()
    server.wait_for_ping(200)
    results: dict = {}
    thread = post_in_background(server, audio_files["wav"].read_bytes(), "fake:sleep=2", results)
    time.sleep(0.7)
    sent = time.monotonic()
    server.process.send_signal(signal.SIGTERM)
    thread.join(30)
    assert server.process.wait(30) == 0, server.stop()
    assert time.monotonic() - sent < 30
    assert results["status"] == 200 and results["body"]["segments"]


def test_sigterm_with_a_hung_request_answers_503_and_exits_0_within_the_grace(start_server, audio_files):
    server = start_server(SHUTDOWN_GRACE_S=1.5)
    server.wait_for_ping(200)
    results: dict = {}
    thread = post_in_background(server, audio_files["wav"].read_bytes(), "fake:hang", results)
    time.sleep(0.5)
    sent = time.monotonic()
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(30) == 0, server.stop()
    thread.join(10)
    assert time.monotonic() - sent < 10
    assert results["status"] == 503 and results["body"]["code"] == "MODEL_UNAVAILABLE"


def test_sigterm_while_still_loading_exits_0(start_server):
    server = start_server(FAKE_LOAD_DELAY_S=30)
    server.wait_for_ping(503)
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(30) == 0, server.stop()


def test_several_workers_serve_and_stop_cleanly(start_server, audio_files):
    server = start_server(SAGEMAKER_MODEL_SERVER_WORKERS=2)
    server.wait_for_ping(200, limit_s=30)
    for _ in range(4):
        response = httpx.post(server.url + "/invocations", content=audio_files["flac"].read_bytes(), timeout=30)
        assert response.status_code == 200
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(30) == 0, server.stop()


def test_invalid_settings_exit_with_a_message(start_server):
    server = start_server(BATCH_SIZE="zero")
    assert server.process.wait(15) == 2
    assert "BATCH_SIZE" in server.stop()
