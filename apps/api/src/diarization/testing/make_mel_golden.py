"""Writes mel-golden.json: librosa's mel spectrogram (Resemblyzer's exact call) of a signal both sides can compute.
Regenerate: $SPEECH_PYTHON apps/api/src/diarization/testing/make_mel_golden.py  (needs librosa; dev only)."""
import json
from pathlib import Path

import librosa
import numpy as np

n = np.arange(8000, dtype=np.float64)
signal = (0.3 * np.sin(2 * np.pi * 220 * n / 16000) + 0.2 * np.sin(2 * np.pi * 1375 * n / 16000 + 0.5)
          + 0.1 * np.sin(2 * np.pi * 5100 * n / 16000) * (n / 8000)).astype(np.float32)
mel = librosa.feature.melspectrogram(y=signal, sr=16000, n_fft=400, hop_length=160, n_mels=40).astype(np.float32).T
Path(__file__).with_name("mel-golden.json").write_text(json.dumps({
    "librosa": librosa.__version__, "frames": mel.shape[0], "bands": mel.shape[1],
    "values": [float(f"{v:.7g}") for v in mel.reshape(-1)],
}))
