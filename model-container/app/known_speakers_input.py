"""Reference clips of known speakers → 16 kHz mono samples, through the same locked-down ffmpeg path as the audio
itself (format sniffed from the bytes, forced demuxer). A clip that is not 2–10 s of decodable audio is the client's
mistake in an option: INVALID_OPTION naming known_speakers, whatever the decoder said."""
from __future__ import annotations

import os
import tempfile
from typing import List, Sequence, Tuple

import numpy as np

from app import audio_input
from app.errors import ProblemError, invalid_option
from runtime.protocol import SAMPLE_RATE

MIN_CLIP_SECONDS = 2.0
MAX_CLIP_SECONDS = 10.0
# Encoders pad a little (an MP3 or Opus clip of exactly 10 s decodes a few ms longer).
CLIP_TOLERANCE_SECONDS = 0.1


async def decode_known_speakers(clips: Sequence[Tuple[str, bytes]], directory: str, timeout_s: float) -> List[Tuple[str, np.ndarray]]:
    decoded = []
    for index, (name, clip) in enumerate(clips):
        fd, path = tempfile.mkstemp(prefix=f"speaker-{index}-", dir=directory)
        with os.fdopen(fd, "wb") as out:
            out.write(clip)
        try:
            fmt = audio_input.require_known_format(path, len(clip))
            samples = await audio_input.decode_with_ffmpeg(path, fmt, MAX_CLIP_SECONDS + CLIP_TOLERANCE_SECONDS, timeout_s)
        except ProblemError as error:
            raise invalid_option(f'The clip of "{name}" is not usable audio: {error.detail}', "known_speakers") from None
        seconds = samples.size / SAMPLE_RATE
        if seconds < MIN_CLIP_SECONDS:
            raise invalid_option(f'The clip of "{name}" is {seconds:.1f} s; a known speaker clip is 2–10 s.', "known_speakers")
        decoded.append((name, samples))
    return decoded
