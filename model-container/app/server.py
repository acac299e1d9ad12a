"""Runs uvicorn on the socket `serve` already bound, with SageMaker's shutdown rules:
SIGTERM -> stop accepting, let in-flight requests finish for SHUTDOWN_GRACE_S, then answer what
is left with 503 and exit 0 (SageMaker sends SIGKILL 30 s after SIGTERM)."""
from __future__ import annotations

import asyncio
import logging
import socket
from typing import Optional

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
    """uvicorn 0.17 waits for open connections forever on shutdown; add a deadline."""

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
    server = GracefulServer(config)
    if settings.workers > 1:
        from uvicorn.supervisors import Multiprocess

        # Each worker gets SIGTERM from the supervisor and drains with the same deadline.
        Multiprocess(config, target=server.run, sockets=[listening]).run()
    else:
        server.run(sockets=[listening])
    return 0
