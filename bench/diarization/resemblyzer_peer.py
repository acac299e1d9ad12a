"""The peer side of bench/diarization.ts --peer: Resemblyzer's own VoiceEncoder (torch, librosa mel) on the same
windows our TypeScript front end + ONNX export embeds. Needs `pip install Resemblyzer==0.1.4 librosa==0.11.0
webrtcvad-wheels==2.0.14` in $SPEECH_PYTHON (dev only; not in the CI requirements).
stdin: {"wav": path, "gain": g, "threads": 1, "windows": [[start, end], ...]}; stdout: {"embeddings": [[...]], "seconds": t}."""
import json
import sys
import time

import numpy as np
import soundfile
import torch
from resemblyzer import VoiceEncoder


def main() -> None:
    job = json.load(sys.stdin)
    wav, rate = soundfile.read(job["wav"], dtype="float32")
    if wav.ndim > 1:
        wav = wav.mean(axis=1)
    assert rate == 16000, rate
    wav = wav * np.float32(job["gain"])
    # The same thread count as our side (onnxruntime with one intra-op thread): a like-for-like time.
    torch.set_num_threads(int(job.get("threads", 1)))
    encoder = VoiceEncoder("cpu", verbose=False)
    encoder.embed_utterance(wav[:16000])  # warm-up: librosa's first call compiles with numba
    started = time.perf_counter()
    embeddings = [encoder.embed_utterance(wav[int(round(s * rate)):int(round(e * rate))]).tolist() for s, e in job["windows"]]
    json.dump({"embeddings": embeddings, "seconds": time.perf_counter() - started}, sys.stdout)


if __name__ == "__main__":
    main()
