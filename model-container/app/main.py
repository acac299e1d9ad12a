"""FastAPI app for the SageMaker container contract: GET /ping, POST /invocations.

This layer parses, dispatches and formats; model work lives behind runtime.protocol.SpeechRuntime.
"""
from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import tempfile
import threading
import time
import uuid
from typing import Optional

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app import audio_input
from app.diarization_flow import DiarizationFlow
from app.errors import ProblemError, problem_response
from app.inference_gate import InferenceGate
from app.options import CUSTOM_ATTRIBUTES_HEADER, invocation_options_from_header, invocation_options_from_json
from app.result_format import to_wire_result
from runtime.diarization.stage import DiarizationStage
from runtime.protocol import SAMPLE_RATE, SpeechRuntime
from settings import Settings

log = logging.getLogger("model-container")

REQUEST_ID_HEADER = "x-request-id"
_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
RAW_AUDIO_TYPES = ("application/octet-stream", "")


class RequestIdMiddleware:
    """Echo a sane incoming X-Request-Id or mint one, on every response (errors included).
    Plain ASGI rather than BaseHTTPMiddleware, which buffers and misbehaves with streamed bodies."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        incoming = dict(scope["headers"]).get(REQUEST_ID_HEADER.encode(), b"").decode("latin-1")
        request_id = incoming if _REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message):
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() != REQUEST_ID_HEADER.encode()]
                headers.append((REQUEST_ID_HEADER.encode(), request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_id)


class ModelLoader:
    """Loads the runtime on a background thread so the port answers (and /ping says 503) at once."""

    def __init__(self, runtime: SpeechRuntime):
        self.runtime = runtime
        self.error: Optional[str] = None
        self.started_at: Optional[float] = None
        self.loaded_at: Optional[float] = None

    def start(self) -> None:
        self.started_at = time.monotonic()
        threading.Thread(target=self._load, name="model-loader", daemon=True).start()

    def _load(self) -> None:
        try:
            self.runtime.load()
            self.loaded_at = time.monotonic()
            log.info("model loaded (%s) in %.1f s", self.runtime.name, self.loaded_at - self.started_at)
        except Exception as exc:  # reported by /ping and /invocations, never crashes the server
            self.error = f"{type(exc).__name__}: {exc}"
            log.exception("model failed to load")

    def state(self) -> str:
        if self.runtime.loaded:
            return "ready"
        return "failed" if self.error else "loading"


def _request_id(request: Request) -> Optional[str]:
    return getattr(request.state, "request_id", None)


def create_app(
    settings: Settings,
    runtime: Optional[SpeechRuntime] = None,
    load_on_startup: bool = True,
    diarization: Optional[DiarizationStage] = None,
) -> FastAPI:
    if runtime is None:
        from runtime.factory import build_runtime

        runtime = build_runtime(settings)
    if diarization is None:
        from runtime.factory import build_diarization_stage

        diarization = build_diarization_stage(settings)
    flow = DiarizationFlow(runtime, diarization)
    loader = ModelLoader(runtime)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI):
        # Starlette 1.x has lifespan handlers only (no add_event_handler/on_event).
        if load_on_startup:
            loader.start()
        yield

    app = FastAPI(title="speech model container", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    gate = InferenceGate(
        settings.max_concurrent_inferences,
        settings.max_queued_requests,
        settings.queue_timeout_s,
        settings.inference_timeout_s,
    )
    app.state.settings, app.state.runtime, app.state.loader, app.state.gate = settings, runtime, loader, gate
    app.add_middleware(RequestIdMiddleware)

    @app.exception_handler(ProblemError)
    async def on_problem(request: Request, error: ProblemError):
        if error.status >= 500:
            log.warning("request %s failed: %s", _request_id(request), error)
        return problem_response(error, _request_id(request))

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, error: StarletteHTTPException):
        detail = "No such route: the container serves GET /ping and POST /invocations."
        return problem_response(ProblemError("NOT_FOUND", detail), _request_id(request))

    @app.get("/ping")
    async def ping():
        # SageMaker only reads the status code; the body helps a human with curl.
        state = loader.state()
        if state == "ready" and gate.stalled:
            state = "stalled"
        body = {"status": state, "runtime": runtime.name, "running": gate.running}
        if loader.error:
            body["error"] = loader.error
        return JSONResponse(body, status_code=200 if state == "ready" else 503)

    @app.get("/execution-parameters")
    async def execution_parameters():
        # Read by SageMaker Batch Transform to size its requests.
        return {
            "MaxConcurrentTransforms": settings.max_concurrent_inferences,
            "BatchStrategy": "SINGLE_RECORD",
            "MaxPayloadInMB": max(1, min(100, settings.max_body_bytes // (1024 * 1024))),
        }

    @app.post("/invocations")
    async def invocations(request: Request):
        try:
            return await invoke(request)
        except ProblemError:
            raise
        except Exception:  # a bug here: still answer in the one error shape, with the request id
            log.exception("request %s: unexpected error", _request_id(request))
            raise ProblemError("INTERNAL_ERROR") from None

    async def invoke(request: Request) -> JSONResponse:
        started = time.monotonic()
        if not runtime.loaded:
            detail = f"The model failed to load: {loader.error}" if loader.error else "The model is still loading."
            raise ProblemError("MODEL_UNAVAILABLE", detail, retry_after_s=None if loader.error else 5)
        workdir = tempfile.mkdtemp(prefix="invocation-")
        try:
            content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if content_type == "application/json":
                document = await audio_input.read_json_body(request, settings.max_body_bytes)
                options, diarize = invocation_options_from_json(document.get("options") if isinstance(document, dict) else None)
                path, size = audio_input.write_base64_audio(document, workdir)
            elif content_type.startswith("audio/") or content_type in RAW_AUDIO_TYPES:
                options, diarize = invocation_options_from_header(request.headers.get(CUSTOM_ATTRIBUTES_HEADER, ""))
                path, size = await audio_input.stream_body_to_file(request, settings.max_body_bytes, workdir)
            else:
                raise ProblemError(
                    "UNSUPPORTED_MEDIA",
                    f"Content-Type {content_type!r} is not accepted: send audio/* or application/octet-stream "
                    "with the raw file, or application/json with audio_base64.",
                )
            audio_format = audio_input.require_known_format(path, size)
            audio = await audio_input.decode_with_ffmpeg(path, audio_format, settings.max_audio_seconds, settings.decode_timeout_s)
            speakers = await flow.prepare(diarize, workdir, settings.decode_timeout_s) if diarize else None
        finally:
            shutil.rmtree(workdir, ignore_errors=True)

        duration = audio.size / SAMPLE_RATE
        if speakers is None:
            raw = await gate.run(runtime.transcribe, audio, options)
            result = to_wire_result(raw, duration, want_words=options.word_timestamps)
        else:
            raw, turns = await gate.run(flow.transcribe_and_diarize, audio, options, speakers)
            result = flow.labelled_result(raw, turns, duration, want_words=options.word_timestamps)
        headers = {"X-Model-Warning": raw["warning"]} if raw.get("warning") else None
        log.info(
            "request %s: %s %.1f s audio -> %d segments in %.2f s",
            _request_id(request), audio_format, duration, len(result["segments"]), time.monotonic() - started,
        )  # fmt: skip
        return JSONResponse(result, headers=headers)

    return app


def create_app_from_env() -> FastAPI:
    """uvicorn factory: each worker process builds its own app (and model) from the environment."""
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO").upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return create_app(Settings.from_env())
