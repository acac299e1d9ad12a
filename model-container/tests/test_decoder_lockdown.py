"""The model container's decoder lockdown: ffmpeg decodes only the sniffed format. Every smuggling payload gets
415 or 422 within 1 s, never opens the canary FIFO it names, leaves no ffmpeg behind and echoes no decoder output."""
import os
import subprocess
import time

import pytest

from app.audio_input import ffmpeg_input_args, sniff_audio_format
from smuggling import ID3, FifoCanary, smuggling_corpus

ISSUE_BOUND_S = 1.0


def _ffmpeg_children() -> list:
    me = str(os.getpid())
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as handle:
                stat = handle.read()
        except OSError:
            continue
        command = stat[stat.index("(") + 1 : stat.rindex(")")]
        if stat[stat.rindex(")") + 2 :].split()[1] == me and command.startswith("ffmpeg"):
            found.append(pid)
    return found


@pytest.fixture
def canary(tmp_path):
    watched = FifoCanary(str(tmp_path / "canary.wav"))
    yield watched
    watched.opens_so_far()


def test_every_payload_is_refused_fast_without_opening_the_canary(client, canary):
    answers = []
    for name, payload in smuggling_corpus(canary.path):
        started = time.monotonic()
        response = client.post("/invocations", content=payload, headers={"Content-Type": "audio/mpeg"})
        answers.append((name, response.status_code, response.json(), time.monotonic() - started, _ffmpeg_children()))
    for name, status, body, seconds, left in answers:
        assert status in (415, 422), (name, status, body)
        assert body["code"] == ("UNSUPPORTED_MEDIA" if status == 415 else "UNDECODABLE_AUDIO"), name
        assert seconds < ISSUE_BOUND_S, (name, seconds)
        assert left == [], name
        assert canary.path not in str(body) and "/tmp/" not in str(body) and "@ 0x" not in str(body), (name, body)
    assert canary.opens_so_far() == 0


def test_the_canary_sees_an_unlocked_ffmpeg_fall_for_the_id3_playlist(tmp_path):
    """Positive control: the old decode (ffmpeg probing the format itself) opens the canary."""
    watched = FifoCanary(str(tmp_path / "control.wav"))
    upload = tmp_path / "upload"
    upload.write_bytes(smuggling_corpus(watched.path)[0][1])
    try:
        subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "quiet", "-i", str(upload), "-t", "1", "-f", "null", "-"], timeout=5, check=False)
    except subprocess.TimeoutExpired:
        pass
    assert watched.opens_so_far() > 0


def test_an_id3_tag_counts_as_mp3_only_with_mpeg_frames_behind_it():
    frames = b"\xff\xfb\x90\x64" + b"\x00" * 413 + b"\xff\xfb\x90\x64"
    assert sniff_audio_format(ID3, frames) == "mp3"
    assert sniff_audio_format(ID3, b"#EXTM3U\n") is None
    assert sniff_audio_format(ID3) is None


@pytest.mark.parametrize("fmt, demuxer", [("mp3", "mp3"), ("wav", "wav"), ("flac", "flac"), ("ogg", "ogg"), ("m4a", "mov"), ("webm", "matroska")])
def test_ffmpeg_is_forced_to_the_sniffed_demuxer_and_local_files(fmt, demuxer):
    args = ffmpeg_input_args(fmt, "/w/body")
    assert args[args.index("-f") + 1] == demuxer == args[args.index("-format_whitelist") + 1]
    assert args[args.index("-protocol_whitelist") + 1] == "file"
    assert args[-2:] == ["-i", "file:/w/body"]
    if fmt == "m4a":
        assert args[args.index("-enable_drefs") + 1] == "0"
