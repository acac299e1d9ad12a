"""The one error model, as the API speaks it: RFC 7807 problem+json with a stable `code`.

ERROR_CODES holds the codes this container can answer with, each as defined in
libs/contracts/src/lib/error-codes.ts (a test checks every one against that file), so a client
branches on the same codes whether it talks to the API or to this container directly.
"""
from __future__ import annotations

from typing import Any, Dict, Optional

from fastapi.responses import JSONResponse

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_PREFIX = "urn:speech-platform:error:"

ERROR_CODES: Dict[str, tuple] = {
    "EMPTY_FILE": (400, "The uploaded file is empty."),
    "MISSING_FILE": (400, 'No file was uploaded: send the audio in the multipart field "file".'),
    "INVALID_OPTION": (400, "An option has an invalid value."),
    "NOT_FOUND": (404, "No such route."),
    "FILE_TOO_LARGE": (413, "The uploaded file is larger than the size limit."),
    "UNSUPPORTED_MEDIA": (415, "The file is not in a supported audio format."),
    "UNDECODABLE_AUDIO": (422, "The file looks like audio but could not be decoded."),
    "AUDIO_TOO_LONG": (422, "The audio is longer than the maximum duration."),
    "INTERNAL_ERROR": (500, "An unexpected error occurred."),
    "ENGINE_FAILED": (502, "The transcription engine failed on this request."),
    "ENGINE_BUSY": (503, "The transcription engine is at capacity; retry later."),
    "MODEL_UNAVAILABLE": (503, "The speech model is not available."),
    "ENGINE_TIMEOUT": (504, "The transcription engine did not answer in time."),
}


class ProblemError(Exception):
    """Raised anywhere in the HTTP layer; turned into a problem+json response by one handler."""

    def __init__(
        self,
        code: str,
        detail: Optional[str] = None,
        *,
        extensions: Optional[Dict[str, Any]] = None,
        retry_after_s: Optional[int] = None,
    ):
        if code not in ERROR_CODES:
            raise ValueError(f"unknown error code {code}")
        self.code = code
        self.status, self.title = ERROR_CODES[code]
        self.detail = detail or self.title
        self.extensions = extensions or {}
        self.retry_after_s = retry_after_s
        super().__init__(f"{code}: {self.detail}")


def invalid_option(detail: str, option: str) -> ProblemError:
    """INVALID_OPTION naming the option, so a client can point at the field."""
    return ProblemError("INVALID_OPTION", detail, extensions={"option": option})


def problem_body(error: ProblemError, request_id: Optional[str]) -> Dict[str, Any]:
    body: Dict[str, Any] = dict(error.extensions)
    body.update(
        type=PROBLEM_TYPE_PREFIX + error.code,
        title=error.title,
        status=error.status,
        code=error.code,
        detail=error.detail,
    )
    if request_id:
        body["request_id"] = request_id
    return body


def problem_response(error: ProblemError, request_id: Optional[str]) -> JSONResponse:
    headers = {}
    if error.retry_after_s is not None:
        headers["Retry-After"] = str(error.retry_after_s)
    return JSONResponse(
        problem_body(error, request_id),
        status_code=error.status,
        media_type=PROBLEM_CONTENT_TYPE,
        headers=headers,
    )
