"""Speaker-encoder weights for diarization: Resemblyzer's pretrained GE2E encoder, from its pinned PyPI wheel, exported
to ONNX so the API runs it with onnxruntime-node (no Python at run time)."""
