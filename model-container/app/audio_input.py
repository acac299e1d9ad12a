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
# Less decodable audio than this is refused (the API's MIN_AUDIO_SECONDS).
MIN_AUDIO_SECONDS = 0.1
# Where the first MPEG frame must start behind an ID3 tag: two of the largest Layer III frames fit.
MPEG_PROBE_BYTES = 2 * 1441 + 4

# The one demuxer ffmpeg may use for each sniffed format (see ffmpeg_input_args); same table as the API's
# apps/api/src/audio/ffmpeg-input.ts.
DEMUXER = {"mp3": "mp3", "wav": "wav", "flac": "flac", "ogg": "ogg", "m4a": "mov", "webm": "matroska"}
DEMUXER_OPTIONS = {"m4a": ("-enable_drefs", "0", "-use_absolute_path", "0")}

_BITRATES_V1_L3 = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_BITRATES_V2_L3 = (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)
_SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def _mpeg_frame_length(data: bytes, offset: int) -> Optional[int]:
    """Length of the MPEG-1/2/2.5 Layer III frame whose header starts at offset, or None when it is not one."""
    if len(data) < offset + 4 or data[offset] != 0xFF or (data[offset + 1] & 0xE0) != 0xE0:
        return None
    b1, b2 = data[offset + 1], data[offset + 2]
    version, layer = (b1 >> 3) & 0x03, (b1 >> 1) & 0x03
    bitrate_index, rate_index = (b2 >> 4) & 0x0F, (b2 >> 2) & 0x03
    if version == 1 or layer != 1 or bitrate_index in (0, 15) or rate_index == 3:
        return None
    bitrate = (_BITRATES_V1_L3 if version == 3 else _BITRATES_V2_L3)[bitrate_index] * 1000
    return (144 if version == 3 else 72) * bitrate // _SAMPLE_RATES[version][rate_index] + ((b2 >> 1) & 0x01)


def is_mpeg_audio_stream(data: bytes) -> bool:
    """A Layer III frame header and, when the bytes reach that far, a second one exactly one frame later."""
    length = _mpeg_frame_length(data, 0)
    if length is None:
        return False
    return len(data) < length + 4 or _mpeg_frame_length(data, length) is not None


def id3_tag_length(head: bytes) -> Optional[int]:
    """Total length of an ID3v2 tag (header, syncsafe-sized body, optional footer), or None when it is not one."""
    if len(head) < 10 or head[:3] != b"ID3" or not 2 <= head[3] <= 4 or head[4] == 0xFF:
        return None
    if any(byte & 0x80 for byte in head[6:10]):
        return None
    size = 0
    for byte in head[6:10]:
        size = size * 128 + byte
    footer = 10 if head[3] == 4 and head[5] & 0x10 else 0
    return 10 + size + footer


def sniff_audio_format(head: bytes, after_id3: Optional[bytes] = None) -> Optional[str]:
    """Container format from the first bytes; None when it is none of the accepted ones. An ID3 tag counts as
    mp3 only when MPEG audio frames follow it (`after_id3`: the bytes behind the tag): an ID3 tag in front of an
    HLS playlist made ffmpeg read a file from the server's disk."""
    if head[:4] in (b"RIFF", b"RF64", b"BW64") and head[8:12] == b"WAVE":
        return "wav"
    if head[:4] == b"fLaC":
        return "flac"
    if head[:4] == b"OggS":
        return "ogg"
    if head[:4] == b"\x1a\x45\xdf\xa3":  # EBML: WebM / Matroska
        return "webm"
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "m4a"
    if id3_tag_length(head) is not None:
        return "mp3" if after_id3 is not None and is_mpeg_audio_stream(after_id3) else None
    if is_mpeg_audio_stream(head):
        return "mp3"
    return None


def ffmpeg_input_args(fmt: str, path: str) -> list:
    """Open `path` as `fmt` and only as that: a forced demuxer (no probing), a format whitelist of that demuxer alone
    (no nested hls/concat/image2/...), only the file protocol, no mov external data references, and a file: URL so
    the path can never read as another protocol."""
    demuxer = DEMUXER[fmt]
    return ["-f", demuxer, "-format_whitelist", demuxer, "-protocol_whitelist", "file", *DEMUXER_OPTIONS.get(fmt, ()), "-i", "file:" + path]


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
        tag_length = id3_tag_length(head)
        after_id3 = None
        if tag_length is not None:
            handle.seek(tag_length)
            after_id3 = handle.read(MPEG_PROBE_BYTES)
    fmt = sniff_audio_format(head, after_id3)
    if fmt is None:
        raise ProblemError(
            "UNSUPPORTED_MEDIA",
            "The content is not audio in an accepted format.",
            extensions={"accepted": list(ACCEPTED_FORMATS)},
        )
    return fmt


async def decode_with_ffmpeg(path: str, fmt: str, max_seconds: float, timeout_s: float) -> np.ndarray:
    """Decode `fmt` (what require_known_format sniffed, and nothing else) and resample to float32 mono 16 kHz.
    Decodes at most max_seconds (+ a little) so an over-long file is refused without holding hours of PCM in memory."""
    command = [
        "ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-threads", "0",
        *ffmpeg_input_args(fmt, path),
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
        raise ProblemError("UNDECODABLE_AUDIO", f"Decoding took longer than {timeout_s:.0f} s.") from None
    finally:
        # Timed out or cancelled (the client left): no ffmpeg outlives its request.
        if process.returncode is None:
            process.kill()
            await process.wait()
    if process.returncode != 0:
        # A fixed text: ffmpeg's own words (decoder internals, server paths) never reach the client.
        raise ProblemError(
            "UNDECODABLE_AUDIO",
            "The audio could not be decoded: the file is damaged, or its content does not match its format.",
        )
    usable = len(stdout) - len(stdout) % 4
    audio = np.frombuffer(stdout[:usable], dtype="<f4").astype(np.float32, copy=False)
    if audio.size == 0:
        raise ProblemError("UNDECODABLE_AUDIO", "The file holds no decodable audio samples.")
    if audio.size < MIN_AUDIO_SECONDS * SAMPLE_RATE:
        # As the API does: a few frames behind a header (a forged file, a smuggled playlist) are not a silent success.
        raise ProblemError(
            "UNDECODABLE_AUDIO",
            f"The file contains {audio.size * 1000 // SAMPLE_RATE} ms of decodable audio; at least {MIN_AUDIO_SECONDS * 1000:.0f} ms is needed.",
        )
    duration = audio.size / SAMPLE_RATE
    if duration > max_seconds:
        raise ProblemError(
            "AUDIO_TOO_LONG",
            f"The audio is longer than {max_seconds:.0f} seconds.",
            extensions={"limit_seconds": max_seconds},
        )
    return audio
