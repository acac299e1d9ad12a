"""TransformersRuntime on turbo dims on a GPU (the CPU tests are in tests/test_transformers_runtime.py).
Run by hand on a GPU machine (not in CI): see model-container/README.md. Without a CUDA device it fails, never
passes silently: a green run means the GPU path was exercised."""
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from runtime_support import loaded_runtime, speechlike  # noqa: E402
from runtime.protocol import TranscribeOptions  # noqa: E402
from test_transformers_runtime import _check_result  # noqa: E402


def test_turbo_dims_on_gpu():
    import torch

    assert torch.cuda.is_available(), (
        f"no CUDA device visible to torch {torch.__version__} (CUDA build: {torch.version.cuda}): tests_gpu/ needs an "
        "NVIDIA GPU and a CUDA build of torch (model-container/requirements-torch.txt)"
    )
    runtime = loaded_runtime("turbo", batch_size=8)
    assert runtime.dtype == torch.float16 and not runtime.translation_trained  # 32 encoder vs 4 decoder layers
    audio = speechlike(240.0)
    started = time.monotonic()
    result = runtime.transcribe(audio, TranscribeOptions(language="en", word_timestamps=True))
    elapsed = time.monotonic() - started
    _check_result(result, 240.0)
    print(f"turbo dims, 240 s audio, batch 8, word timestamps, 40 tokens/chunk: {elapsed:.2f} s")
    assert elapsed < 60
