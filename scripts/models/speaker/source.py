"""Where the speaker encoder comes from, pinned.

Resemblyzer 0.1.4 (Apache-2.0, Resemble AI) ships `pretrained.pt`: a GE2E speaker encoder (3-layer LSTM over 40-band
mel frames, 256-d embedding) trained by Corentin Jemine on LibriSpeech, VoxCeleb 1 and 2. No npm or Debian package
ships speaker weights, and PyPI's pyannote/wespeaker/3D-Speaker packages download theirs from Hugging Face at run time.
"""
from __future__ import annotations

from ..sources import Wheel

RESEMBLYZER_WHEEL = Wheel(
    "Resemblyzer==0.1.4",
    "Resemblyzer-0.1.4-py3-none-any.whl",
    "8f12eb2f1a9982d32e8db7856de754709b59c93a77bcf0ff536584b619a9dd1f",
)
PRETRAINED_MEMBER = "resemblyzer/pretrained.pt"
PRETRAINED_SHA256 = "39373b86598fa3da9fcddee6142382efe09777e8d37dc9c0561f41f0070f134e"
LICENSE = "Apache-2.0 (Resemblyzer)"

# The encoder's fixed hyper-parameters (resemblyzer/hparams.py); the API's mel front end uses the same numbers.
MEL_BANDS = 40
HIDDEN = 256
LAYERS = 3
EMBEDDING = 256
