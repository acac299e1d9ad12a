"""TransformersRuntime on turbo dims on a GPU (the CPU tests are in tests/test_transformers_runtime.py).
Run: see model-container/README.md."""
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from runtime_support import loaded_runtime, speechlike  # noqa: E402
from runtime.protocol import TranscribeOptions  # noqa: E402
from test_transformers_runtime import _check_result  # noqa: E402


def test_turbo_dims_on_gpu():
    import torch

    if not torch.cuda.is_available():
        print("no CUDA device: turbo-dims test not run")
        return
    runtime = loaded_runtime("turbo", batch_size=8)
    assert runtime.dtype == torch.float16 and not runtime.translation_trained  # 32 encoder vs 4 decoder layers
    audio = speechlike(240.0)
    started = time.monotonic()
    result = runtime.transcribe(audio, TranscribeOptions(language="en", word_timestamps=True))
    elapsed = time.monotonic() - started
    _check_result(result, 240.0)
    print(f"turbo dims, 240 s audio, batch 8, word timestamps, 40 tokens/chunk: {elapsed:.2f} s")
    assert elapsed < 60
