"""Runs uvicorn on the socket `serve` already bound, with SageMaker's shutdown rules:
SIGTERM -> stop accepting, let in-flight requests finish for SHUTDOWN_GRACE_S, then answer what
is left with 503 and exit 0 (SageMaker sends SIGKILL 30 s after SIGTERM)."""
from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import socket
from typing import List, Optional

import uvicorn

from settings import Settings, SettingsError

log = logging.getLogger("model-container")

_worker_app = None  # the app of this worker process, for the shutdown deadline


def build_worker_app():
    """uvicorn factory (factory=True): runs in each worker process."""
    global _worker_app
    from app.main import create_app_from_env

    _worker_app = create_app_from_env()
    return _worker_app


class GracefulServer(uvicorn.Server):
    """uvicorn waits for open connections forever on shutdown (its timeout_graceful_shutdown only cancels
    them, the client sees a dropped connection); add a deadline that answers them with 503 first."""

    def handle_exit(self, sig, frame) -> None:
        first_signal = not self.should_exit
        super().handle_exit(sig, frame)
        if not first_signal:
            return
        grace = self.config.shutdown_grace_s  # type: ignore[attr-defined]
        log.info("signal %s: draining, in-flight requests have %.0f s", sig, grace)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        loop.call_later(grace, self._deadline)

    def _deadline(self) -> None:
        if _worker_app is not None:
            log.warning("shutdown deadline reached: answering in-flight requests with 503")
            _worker_app.state.gate.abort_all()
        # Give those 503s a moment to be written, then stop waiting on connections.
        asyncio.get_running_loop().call_later(2.0, self._force)

    def _force(self) -> None:
        self.force_exit = True


def run(listening: socket.socket, settings: Optional[Settings] = None) -> int:
    try:
        settings = settings or Settings.from_env()
    except SettingsError as error:
        print(error, flush=True)
        return 2
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    config = uvicorn.Config(
        "app.server:build_worker_app",
        factory=True,
        workers=settings.workers,
        loop="asyncio",
        http="h11",
        lifespan="on",
        access_log=False,  # SageMaker pings every few seconds; invocations log their own line
        log_config=None,  # one format: uvicorn's loggers propagate to the root logger set up here
        log_level=settings.log_level,
        timeout_keep_alive=75,  # above SageMaker's idle connection reuse window
    )
    config.shutdown_grace_s = settings.shutdown_grace_s  # type: ignore[attr-defined]
    if settings.workers > 1:
        _run_workers(config, listening, settings.workers)
    else:
        GracefulServer(config).run(sockets=[listening])
    return 0


def _serve_one_worker(config: uvicorn.Config, listening: socket.socket) -> None:
    GracefulServer(config).run(sockets=[listening])


def _run_workers(config: uvicorn.Config, listening: socket.socket, count: int) -> None:
    """Our own small supervisor rather than uvicorn's Multiprocess: that one builds a plain uvicorn.Server
    in each worker, which would lose the shutdown deadline above. Each worker (spawned, so nothing of the
    parent's state leaks in) serves the shared socket; SIGTERM/SIGINT are forwarded and each worker drains
    with the same deadline. As with uvicorn 0.17, a worker that dies is not replaced: SageMaker replaces
    the instance once /ping fails."""
    context = multiprocessing.get_context("spawn")
    workers: List[multiprocessing.process.BaseProcess] = [
        context.Process(target=_serve_one_worker, args=(config, listening), name=f"worker-{n}") for n in range(count)
    ]
    for worker in workers:
        worker.start()

    def forward(sig, _frame) -> None:
        for worker in workers:
            if worker.pid is not None and worker.exitcode is None:
                os.kill(worker.pid, sig)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    for worker in workers:
        worker.join()
