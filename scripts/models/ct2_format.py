"""Reader for CTranslate2's model.bin (binary version 6, the one ctranslate2's specs/model_spec.py writes).

Layout, little-endian: uint32 version; string spec name; uint32 spec revision; uint32 variable count; per variable:
string name, uint8 rank, uint32 dims[rank], uint8 dtype id, uint32 byte count, raw bytes; then uint32 alias count
and (alias, target) string pairs. A string is uint16 length (including a trailing NUL) + UTF-8 bytes + NUL.
Ours, so the converters depend on nothing but numpy to read the weights that faster-whisper ships.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SUPPORTED_VERSION = 6
# Same order as the DataType enum of CTranslate2 (include/ctranslate2/types.h).
_DTYPES = {0: np.float32, 1: np.int8, 2: np.int16, 3: np.int32, 4: np.float16}


class Ct2FormatError(ValueError):
    """The file is not a CTranslate2 model we can read."""


@dataclass(frozen=True)
class Ct2Model:
    spec: str
    revision: int
    variables: dict[str, np.ndarray]

    def get(self, name: str) -> np.ndarray:
        if name not in self.variables:
            raise Ct2FormatError(f"variable {name!r} is missing from the CTranslate2 model")
        return self.variables[name]

    def scalar(self, name: str) -> int:
        return int(self.get(name).reshape(-1)[0])


class _Cursor:
    def __init__(self, data: memoryview):
        self.data = data
        self.pos = 0

    def take(self, n: int) -> memoryview:
        if self.pos + n > len(self.data):
            raise Ct2FormatError(f"truncated model.bin: needed {n} bytes at offset {self.pos}")
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def unpack(self, fmt: str) -> tuple:
        return struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt)))

    def string(self) -> str:
        (length,) = self.unpack("H")
        return bytes(self.take(length))[:-1].decode("utf-8")


def read_ct2_model(path: Path) -> Ct2Model:
    """Parse model.bin; arrays are copies in the file's own dtype (float16 stays float16)."""
    data = memoryview(Path(path).read_bytes())
    cur = _Cursor(data)
    (version,) = cur.unpack("I")
    if version != SUPPORTED_VERSION:
        raise Ct2FormatError(f"{path}: CTranslate2 binary version {version}, this reader knows {SUPPORTED_VERSION}")
    spec = cur.string()
    (revision,) = cur.unpack("I")
    (count,) = cur.unpack("I")
    variables: dict[str, np.ndarray] = {}
    for _ in range(count):
        name = cur.string()
        (rank,) = cur.unpack("B")
        dims = cur.unpack(f"{rank}I") if rank else ()
        (dtype_id,) = cur.unpack("B")
        (nbytes,) = cur.unpack("I")
        if dtype_id not in _DTYPES:
            raise Ct2FormatError(f"{path}: variable {name} has unsupported dtype id {dtype_id}")
        array = np.frombuffer(cur.take(nbytes), dtype=_DTYPES[dtype_id]).copy()
        variables[name] = array.reshape(dims) if rank else array
    (alias_count,) = cur.unpack("I")
    for _ in range(alias_count):
        alias, target = cur.string(), cur.string()
        variables[alias] = variables[target]
    if cur.pos != len(data):
        raise Ct2FormatError(f"{path}: {len(data) - cur.pos} trailing bytes after the aliases")
    return Ct2Model(spec=spec, revision=revision, variables=variables)
