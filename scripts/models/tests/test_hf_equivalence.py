"""The converted Hugging Face checkpoint, run by transformers, gives the same encoder output (within float16
tolerance) and the same greedy tokens on JFK as CTranslate2 on the weights it came from."""
from __future__ import annotations

import json

import numpy as np
import pytest

from models_real_fixtures import JFK_TEXT, words
from models_real_fixtures import jfk_audio, real_models  # noqa: F401 (fixtures)
from scripts.models.sources import REAL_MODELS

# Both sides run float32 on the same float16 weights; the difference is summation order only.
ENCODER_TOLERANCE = 2e-2


@pytest.fixture(scope="module", params=list(REAL_MODELS))
def pair(request, real_models, jfk_audio):
    import ctranslate2
    import torch
    from transformers import WhisperForConditionalGeneration, WhisperProcessor

    torch.set_num_threads(2)
    name = request.param
    hf_dir, ct2_dir = real_models[(name, "hf")], real_models[(name, "ct2")]
    processor = WhisperProcessor.from_pretrained(hf_dir)
    hf = WhisperForConditionalGeneration.from_pretrained(hf_dir, dtype=torch.float32).eval()
    ct2 = ctranslate2.models.Whisper(str(ct2_dir), device="cpu", compute_type="float32", intra_threads=2)
    features = processor(jfk_audio, sampling_rate=16000, return_tensors="np").input_features.astype(np.float32)
    multilingual = json.loads((hf_dir / "generation_config.json").read_text())["is_multilingual"]
    return name, processor, hf, ct2, np.ascontiguousarray(features), multilingual


def test_encoder_output_matches_ctranslate2(pair):
    import ctranslate2
    import torch

    name, _, hf, ct2, features, _ = pair
    expected = np.array(ct2.encode(ctranslate2.StorageView.from_array(features), to_cpu=True))
    with torch.no_grad():
        actual = hf.model.encoder(torch.from_numpy(features)).last_hidden_state.numpy()
    diff = float(np.max(np.abs(actual - expected)))
    print(f"\n{name} encoder max |hf - ct2| = {diff:.2e} (scale {float(np.max(np.abs(expected))):.1f})")
    assert actual.shape == expected.shape
    assert diff < ENCODER_TOLERANCE


def test_greedy_tokens_match_ctranslate2(pair):
    import ctranslate2
    import torch

    name, processor, hf, ct2, features, multilingual = pair
    tok = processor.tokenizer
    prompt = ["<|startoftranscript|>"] + (["<|en|>", "<|transcribe|>"] if multilingual else []) + ["<|notimestamps|>"]
    result = ct2.generate(ctranslate2.StorageView.from_array(features), [prompt], beam_size=1, max_length=448)
    ct2_tokens = result[0].sequences_ids[0]
    kwargs = {"language": "en", "task": "transcribe"} if multilingual else {}
    with torch.no_grad():
        generated = hf.generate(torch.from_numpy(features), num_beams=1, do_sample=False, **kwargs)[0].tolist()
    eot = tok.convert_tokens_to_ids("<|endoftext|>")
    hf_tokens = [t for t in generated if t < eot]
    text = tok.decode(hf_tokens)
    print(f"\n{name} transformers: {text!r}\n{name} ctranslate2: {tok.decode(ct2_tokens)!r}")
    assert words(text) == words(JFK_TEXT)
    assert hf_tokens == ct2_tokens


def test_multilingual_language_detection_matches_ctranslate2(real_models, jfk_audio):
    """base is the multilingual model: transformers on the converted checkpoint and CTranslate2 on the shipped one
    rank the same language first on JFK, with nearly the same probability."""
    import ctranslate2
    import torch
    from transformers import WhisperForConditionalGeneration, WhisperProcessor

    hf_dir, ct2_dir = real_models[("base", "hf")], real_models[("base", "ct2")]
    processor = WhisperProcessor.from_pretrained(hf_dir)
    hf = WhisperForConditionalGeneration.from_pretrained(hf_dir, dtype=torch.float32).eval()
    features = processor(jfk_audio, sampling_rate=16000, return_tensors="np").input_features.astype(np.float32)
    ct2 = ctranslate2.models.Whisper(str(ct2_dir), device="cpu", compute_type="float32", intra_threads=2)
    ct2_ranked = ct2.detect_language(ctranslate2.StorageView.from_array(np.ascontiguousarray(features)))[0]
    lang_to_id = json.loads((hf_dir / "generation_config.json").read_text())["lang_to_id"]
    sot = processor.tokenizer.convert_tokens_to_ids("<|startoftranscript|>")
    with torch.no_grad():
        logits = hf(input_features=torch.from_numpy(features), decoder_input_ids=torch.tensor([[sot]])).logits[0, -1]
    ids = torch.tensor(list(lang_to_id.values()))
    probs = torch.softmax(logits[ids], dim=-1)
    best = int(torch.argmax(probs))
    hf_language, hf_prob = list(lang_to_id)[best], float(probs[best])
    print(f"\nbase language: transformers {hf_language} {hf_prob:.4f}, ctranslate2 {ct2_ranked[0][0]} {ct2_ranked[0][1]:.4f}")
    assert hf_language == ct2_ranked[0][0] == "<|en|>"
    assert abs(hf_prob - ct2_ranked[0][1]) < 0.01
