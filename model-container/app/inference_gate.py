"""Admission control for inference: a bounded number run at once, a bounded number wait, each run
has a deadline, and a shutdown can abandon what is still running.

Inference runs on its own daemon thread, never on the event loop, so /ping answers while the GPU
works. Daemon threads (not a ThreadPoolExecutor, whose threads the interpreter joins at exit)
because a wedged model call must not keep the process alive past SageMaker's SIGTERM deadline.
A slot is freed only when its thread really ends: a timed-out call still holds the GPU.
"""
from __future__ import annotations

import asyncio
import itertools
import threading
import time
from typing import Any, Callable, Dict, Optional

from app.errors import ProblemError
from runtime.protocol import OptionNotSupported


class InferenceGate:
    def __init__(self, max_concurrent: int, max_queued: int, queue_timeout_s: float, timeout_s: float):
        self.max_concurrent = max_concurrent
        self.max_queued = max_queued
        self.queue_timeout_s = queue_timeout_s
        self.timeout_s = timeout_s
        self._free = max_concurrent
        self._waiters: "list[asyncio.Future]" = []
        self._running: Dict[int, float] = {}  # run id -> monotonic start
        self._ids = itertools.count()
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._aborted: Optional[asyncio.Event] = None

    # ---- state for /ping ---------------------------------------------------------------
    @property
    def running(self) -> int:
        return len(self._running)

    @property
    def stalled(self) -> bool:
        """Every slot is held by a call past its deadline: the engine is wedged, so /ping says
        503 and SageMaker replaces the instance instead of routing more traffic to it."""
        if len(self._running) < self.max_concurrent:
            return False
        now = time.monotonic()
        return all(now - started > self.timeout_s for started in self._running.values())

    # ---- shutdown ---------------------------------------------------------------------
    def abort_all(self) -> None:
        """Answer every waiting and running request now (503); called at the shutdown deadline."""
        if self._aborted is not None:
            self._aborted.set()

    # ---- running work -----------------------------------------------------------------
    async def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        self._bind_loop()
        await self._acquire_slot()
        run_id = next(self._ids)
        self._running[run_id] = time.monotonic()
        outcome: asyncio.Future = self._loop.create_future()
        thread = threading.Thread(
            target=self._work, args=(run_id, outcome, fn, args), name=f"inference-{run_id}", daemon=True
        )
        thread.start()
        aborted = asyncio.ensure_future(self._aborted.wait())
        try:
            done, _ = await asyncio.wait({outcome, aborted}, timeout=self.timeout_s, return_when=asyncio.FIRST_COMPLETED)
        finally:
            aborted.cancel()
        if outcome in done:
            return self._unwrap(outcome)
        if self._aborted.is_set():
            raise ProblemError("MODEL_UNAVAILABLE", "The server is shutting down.", retry_after_s=1)
        raise ProblemError(
            "ENGINE_TIMEOUT",
            f"Transcription did not finish within {self.timeout_s:.0f} s.",
            extensions={"timeout_seconds": self.timeout_s},
        )

    def _bind_loop(self) -> None:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # first use (asyncio objects belong to the loop that made them)
            self._loop = loop
            self._aborted = asyncio.Event()

    async def _acquire_slot(self) -> None:
        if self._aborted.is_set():
            raise ProblemError("MODEL_UNAVAILABLE", "The server is shutting down.", retry_after_s=1)
        if self._free > 0 and not self._waiters:
            self._free -= 1
            return
        if len(self._waiters) >= self.max_queued:
            raise self._busy(f"{self.max_concurrent} transcriptions are running and the queue is full.")
        waiter = self._loop.create_future()
        self._waiters.append(waiter)
        try:
            await asyncio.wait_for(asyncio.shield(waiter), timeout=self.queue_timeout_s)
        except BaseException as exc:  # timeout, or the client went away while queued
            got_slot = waiter.done() and not waiter.cancelled()
            if got_slot and isinstance(exc, asyncio.TimeoutError):
                return  # the slot arrived just as the wait ended: keep it
            if got_slot:
                self._hand_over_slot()
            waiter.cancel()
            if isinstance(exc, asyncio.TimeoutError):
                raise self._busy(f"No transcription slot became free within {self.queue_timeout_s:.0f} s.") from None
            raise
        finally:
            if waiter in self._waiters:
                self._waiters.remove(waiter)

    def _busy(self, detail: str) -> ProblemError:
        return ProblemError("ENGINE_BUSY", detail, retry_after_s=max(1, int(self.queue_timeout_s) or 1))

    def _release_slot(self, run_id: int) -> None:
        self._running.pop(run_id, None)
        self._hand_over_slot()

    def _hand_over_slot(self) -> None:
        while self._waiters:
            waiter = self._waiters.pop(0)
            if not waiter.done():
                waiter.set_result(None)  # the slot passes straight to the oldest waiter
                return
        self._free += 1

    def _work(self, run_id: int, outcome: asyncio.Future, fn: Callable[..., Any], args: tuple) -> None:
        try:
            result, error = fn(*args), None
        except BaseException as exc:  # reported to the request, never raised on this thread
            result, error = None, exc
        try:
            self._loop.call_soon_threadsafe(self._finish, run_id, outcome, result, error)
        except RuntimeError:
            pass  # the loop is closed: the server has already exited

    def _finish(self, run_id: int, outcome: asyncio.Future, result: Any, error: Optional[BaseException]) -> None:
        self._release_slot(run_id)
        if outcome.done():
            return  # the request already timed out or was aborted
        if error is not None:
            outcome.set_exception(error)
        else:
            outcome.set_result(result)

    @staticmethod
    def _unwrap(outcome: asyncio.Future) -> Any:
        error = outcome.exception()
        if error is None:
            return outcome.result()
        if isinstance(error, ProblemError):
            raise error
        if isinstance(error, OptionNotSupported):
            raise ProblemError("INVALID_OPTION", str(error)) from error
        raise ProblemError("ENGINE_FAILED", f"The model failed: {type(error).__name__}: {error}"[:500]) from error
