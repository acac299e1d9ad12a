#!/usr/bin/env python3
"""Run tests_gpu with pytest when it is installed, else with this minimal runner (the GPU
machine may have torch and transformers but no pytest). Prints 'N passed, M failed'; exits non-zero when a
test fails or none ran. Without a CUDA device the tests fail: they are run by hand on a GPU machine."""
import importlib
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

if __name__ == "__main__":
    try:
        import pytest
    except ImportError:
        pytest = None
    if pytest is not None and "--no-pytest" not in sys.argv:
        sys.exit(pytest.main([str(HERE), "-q", "-s", "-p", "no:cacheprovider", *[a for a in sys.argv[1:]]]))
    passed = failed = 0
    for path in sorted(HERE.glob("test_*.py")):
        module = importlib.import_module(path.stem)
        for name in sorted(n for n in dir(module) if n.startswith("test_")):
            started = time.monotonic()
            try:
                getattr(module, name)()
                passed += 1
                print(f"PASS {path.stem}::{name} ({time.monotonic() - started:.1f} s)")
            except Exception:
                failed += 1
                print(f"FAIL {path.stem}::{name}")
                traceback.print_exc()
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed or not passed else 0)
