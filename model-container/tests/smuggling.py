"""Container-smuggling payloads and a FIFO canary for the model container's decoder tests.

The same attack classes as the API's corpus (apps/api/test/support/smuggling-corpus.ts): playlists and concat
lists behind every magic the sniffer accepts, self-references, nested containers. Each names the canary FIFO.
"""
import os
import struct
import subprocess
import sys
import threading

ID3 = b"ID3\x04\x00\x00\x00\x00\x00\x00"


def _two_mpeg_frames() -> bytes:
    frame = bytearray(417)
    frame[:4] = b"\xff\xfb\x90\x64"  # MPEG-1 Layer III, 128 kbit/s, 44.1 kHz: 417-byte frames
    return bytes(frame) * 2


def _hls(target: str) -> bytes:
    return (
        "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10.0,\nfile:{0}\n#EXTINF:10.0,\n{0}\n#EXT-X-ENDLIST\n".format(target)
    ).encode()


def _concat(target: str) -> bytes:
    # /proc/self/fd/3: ffmpeg's own handle on the upload, a self-reference whatever the temp file is called.
    return ("ffconcat version 1.0\nfile '{0}'\nfile 'file:{0}'\n".format(target) + "file /proc/self/fd/3\n" * 64).encode()


def _ogg_page(payload: bytes) -> bytes:
    segments = [255] * (len(payload) // 255) + [len(payload) % 255]
    header = b"OggS\x00\x02" + b"\x00" * 8 + struct.pack("<I", 0x1234) + b"\x00" * 8 + bytes([len(segments)])
    return header + bytes(segments) + payload


def _webm(payload: bytes) -> bytes:
    doc_type = b"\x42\x82\x84webm"
    return b"\x1a\x45\xdf\xa3" + bytes([0x80 | len(doc_type)]) + doc_type + b"\x18\x53\x80\x67\x01" + b"\xff" * 7 + payload


def _riff_wave(payload: bytes) -> bytes:
    return b"RIFF" + struct.pack("<I", 4 + len(payload)) + b"WAVE" + payload


def _ftyp(payload: bytes) -> bytes:
    return struct.pack(">I", 20) + b"ftypM4A \x00\x00\x00\x00M4A " + payload


def smuggling_corpus(canary: str):
    hls, concat = _hls(canary), _concat(canary)
    return [
        ("ID3 + HLS playlist naming a server file", ID3 + hls),
        ("ID3 + ffconcat list naming itself and a server file", ID3 + concat),
        ("ID3 + two MPEG frames + HLS playlist", ID3 + _two_mpeg_frames() + hls),
        ("two MPEG frames + ffconcat list", _two_mpeg_frames() + concat),
        ("bare HLS playlist", hls),
        ("bare ffconcat list", concat),
        ("RIFF/WAVE header + HLS playlist", _riff_wave(hls)),
        ("fLaC + ffconcat list", b"fLaC" + concat),
        ("Ogg page carrying an HLS playlist", _ogg_page(hls)),
        ("WebM header + HLS playlist", _webm(hls)),
        ("ftyp box + ffconcat list", _ftyp(concat)),
        ("WAV inside an ID3 tag", ID3 + _riff_wave(b"fmt ")),
    ]


_WRITER = """
import os, sys
while True:
    fd = os.open(sys.argv[1], os.O_WRONLY)  # blocks until a reader opens the pipe
    sys.stdout.write("opened\\n"); sys.stdout.flush()  # reported before the reader gets a byte
    try:
        os.write(fd, b"canary\\n")
    except OSError:
        pass
    os.close(fd)
"""


class FifoCanary:
    """A FIFO that proves whether any process opened it for reading: a helper blocks opening it for writing, and
    reports each completed open on its stdout before writing a byte. opens_so_far() stops it and counts."""

    def __init__(self, path: str):
        self.path = path
        os.mkfifo(path, 0o666)
        self._writer = subprocess.Popen([sys.executable, "-c", _WRITER, path], stdout=subprocess.PIPE, text=True)
        self._reports = []
        self._reader = threading.Thread(target=lambda: self._reports.extend(self._writer.stdout), daemon=True)
        self._reader.start()

    def opens_so_far(self) -> int:
        if self._writer.poll() is None:
            self._writer.kill()
        self._writer.wait()
        self._reader.join()
        return sum(1 for line in self._reports if line.strip() == "opened")
