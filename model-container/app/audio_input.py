"""Request body -> temp file -> format sniffed from content -> ffmpeg -> float32 16 kHz mono.

The body goes to a temp file rather than ffmpeg's stdin because MP4/M4A files written without
"faststart" keep their index (moov atom) at the end, which ffmpeg can only reach by seeking.
"""
from __future__ import annotations

import asyncio
import base64
import binascii
import json
import os
import tempfile
from typing import Any, Optional, Tuple

import numpy as np
from starlette.requests import Request

from app.errors import ProblemError
from runtime.protocol import SAMPLE_RATE

ACCEPTED_FORMATS = ("mp3", "wav", "m4a", "flac", "ogg", "webm")
SNIFF_BYTES = 64


def sniff_audio_format(head: bytes) -> Optional[str]:
    """Container format from the first bytes; None when it is none of the accepted ones."""
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:4] == b"fLaC":
        return "flac"
    if head[:4] == b"OggS":
        return "ogg"
    if head[:4] == b"\x1a\x45\xdf\xa3":  # EBML: WebM / Matroska
        return "webm"
    if head[4:8] == b"ftyp":
        return "m4a"
    if head[:3] == b"ID3":
        return "mp3"
    # MPEG audio frame sync: 11 set bits, then layer bits != 00. ADTS AAC (layer 00) is excluded.
    if len(head) >= 2 and head[0] == 0xFF and (head[1] & 0xE0) == 0xE0 and (head[1] & 0x06) != 0:
        return "mp3"
    return None


def _too_large(limit: int) -> ProblemError:
    return ProblemError(
        "FILE_TOO_LARGE",
        f"The request body is larger than {limit} bytes.",
        extensions={"limit_bytes": limit},
    )


def check_declared_length(request: Request, limit: int) -> None:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)


async def stream_body_to_file(request: Request, limit: int, directory: str) -> Tuple[str, int]:
    """Write the raw body to a temp file without holding it all in memory."""
    check_declared_length(request, limit)
    fd, path = tempfile.mkstemp(prefix="body-", dir=directory)
    size = 0
    with os.fdopen(fd, "wb") as out:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise _too_large(limit)
            out.write(chunk)
    return path, size


async def read_json_body(request: Request, limit: int) -> Any:
    check_declared_length(request, limit)
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise _too_large(limit)
    if not body:
        raise ProblemError("EMPTY_FILE", "The request body is empty.")
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ProblemError("INVALID_OPTION", "The body is not valid JSON.", extensions={"option": "body"}) from None


def write_base64_audio(document: Any, directory: str) -> Tuple[str, int]:
    if not isinstance(document, dict) or "audio_base64" not in document:
        raise ProblemError("MISSING_FILE", 'Send the audio as base64 in the JSON field "audio_base64".')
    encoded = document["audio_base64"]
    if not isinstance(encoded, str):
        raise ProblemError("MISSING_FILE", '"audio_base64" must be a string.')
    try:
        audio = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ProblemError("UNDECODABLE_AUDIO", '"audio_base64" is not valid base64.') from None
    fd, path = tempfile.mkstemp(prefix="body-", dir=directory)
    with os.fdopen(fd, "wb") as out:
        out.write(audio)
    return path, len(audio)


def require_known_format(path: str, size: int) -> str:
    if size == 0:
        raise ProblemError("EMPTY_FILE", "The audio is empty.")
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
    fmt = sniff_audio_format(head)
    if fmt is None:
        raise ProblemError(
            "UNSUPPORTED_MEDIA",
            "The content is not audio in an accepted format.",
            extensions={"accepted": list(ACCEPTED_FORMATS)},
        )
    return fmt


async def decode_with_ffmpeg(path: str, max_seconds: float, timeout_s: float) -> np.ndarray:
    """Decode and resample to float32 mono 16 kHz. Decodes at most max_seconds (+ a little) so an
    over-long file is refused without holding hours of PCM in memory."""
    command = [
        "ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-threads", "0",
        "-i", path,
        "-t", f"{max_seconds + 0.5:.3f}",
        "-map", "0:a:0", "-ac", "1", "-ar", str(SAMPLE_RATE), "-f", "f32le", "pipe:1",
    ]  # fmt: skip
    try:
        process = await asyncio.create_subprocess_exec(
            *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
        )
    except FileNotFoundError:
        raise ProblemError("INTERNAL_ERROR", "ffmpeg is not installed in this container.") from None
    try:
        stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=timeout_s)
    except asyncio.TimeoutError:
        process.kill()
        await process.wait()
        raise ProblemError("UNDECODABLE_AUDIO", f"Decoding took longer than {timeout_s:.0f} s.") from None
    if process.returncode != 0:
        reason = stderr.decode("utf-8", "replace").strip().splitlines()
        raise ProblemError(
            "UNDECODABLE_AUDIO",
            "ffmpeg could not decode the audio" + (f": {reason[-1][:200]}" if reason else "."),
        )
    usable = len(stdout) - len(stdout) % 4
    audio = np.frombuffer(stdout[:usable], dtype="<f4").astype(np.float32, copy=False)
    if audio.size == 0:
        raise ProblemError("UNDECODABLE_AUDIO", "The file holds no decodable audio samples.")
    duration = audio.size / SAMPLE_RATE
    if duration > max_seconds:
        raise ProblemError(
            "AUDIO_TOO_LONG",
            f"The audio is longer than {max_seconds:.0f} seconds.",
            extensions={"limit_seconds": max_seconds},
        )
    return audio
