"""Where the weights come from, first match wins:

1. MODEL_PATH (a directory in Hugging Face layout);
2. /opt/ml/model, where SageMaker unpacks ModelDataUrl's model.tar.gz (also one folder down, for
   archives that were packed with a top-level directory);
3. the directory baked into the image with --build-arg BAKE_MODEL_ID;
4. MODEL_ID, downloaded from the Hugging Face Hub at startup (needs network).

The speaker encoder for diarization (one ONNX file, `npm run models:speaker` makes it) is found the same way:
SPEAKER_MODEL_PATH, else speaker/campplus-3dspeaker.onnx inside the SageMaker model directory, else inside the baked one.
"""
from __future__ import annotations

import os
from typing import Optional


class ModelNotFound(RuntimeError):
    pass


def _hf_dir(path: Optional[str]) -> Optional[str]:
    if not path or not os.path.isdir(path):
        return None
    if os.path.isfile(os.path.join(path, "config.json")):
        return path
    children = sorted(os.path.join(path, c) for c in os.listdir(path))
    nested = [c for c in children if os.path.isfile(os.path.join(c, "config.json"))]
    return nested[0] if len(nested) == 1 else None


def resolve_model_source(
    model_path: Optional[str], model_id: Optional[str], sagemaker_dir: Optional[str], baked_dir: Optional[str]
) -> str:
    """A local directory or a Hub id for from_pretrained()."""
    if model_path:
        found = _hf_dir(model_path)
        if found is None:
            raise ModelNotFound(f"MODEL_PATH={model_path} is not a Hugging Face model directory (no config.json)")
        return found
    for candidate in (sagemaker_dir, baked_dir):
        found = _hf_dir(candidate)
        if found is not None:
            return found
    if model_id:
        return model_id
    raise ModelNotFound(
        f"no model: set MODEL_PATH or MODEL_ID, or provide one at {sagemaker_dir} (SageMaker ModelDataUrl)"
    )


def resolve_optional_source(model_path: Optional[str], model_id: Optional[str]) -> Optional[str]:
    if not model_path and not model_id:
        return None
    return resolve_model_source(model_path, model_id, None, None)


SPEAKER_MODEL_FILE = os.path.join("speaker", "campplus-3dspeaker.onnx")


def resolve_speaker_model(model_path: Optional[str], sagemaker_dir: Optional[str], baked_dir: Optional[str]) -> Optional[str]:
    """The speaker encoder's file, or None when none is configured (diarization then answers MODEL_UNAVAILABLE).
    An explicit SPEAKER_MODEL_PATH is returned as given, so a wrong path is reported as such rather than skipped."""
    if model_path:
        return model_path
    for directory in (sagemaker_dir, baked_dir):
        if directory and os.path.isfile(os.path.join(directory, SPEAKER_MODEL_FILE)):
            return os.path.join(directory, SPEAKER_MODEL_FILE)
    return None
