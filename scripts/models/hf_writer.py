"""Write a Hugging Face transformers Whisper checkpoint (what the model container loads) from OpenAI-named tensors.

Files: config.json, generation_config.json, model.safetensors (float16, as shipped), and the processor files
(tokenizer from the package's tokenizer.json, preprocessor_config.json). Every special-token id comes from the
shipped tokenizer.json, so English-only (.en) and multilingual checkpoints each get their own ids.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .whisper_weights import WhisperDims

_NON_LANGUAGE = {
    "<|endoftext|>", "<|startoftranscript|>", "<|translate|>", "<|transcribe|>", "<|startoflm|>",
    "<|startofprev|>", "<|nocaptions|>", "<|notimestamps|>",
}


def _hf_layer(openai_prefix: str, hf_prefix: str) -> dict[str, str]:
    names: dict[str, str] = {}
    for src, dst in (("attn", "self_attn"), ("cross_attn", "encoder_attn")):
        for proj, hf_proj in (("query", "q_proj"), ("key", "k_proj"), ("value", "v_proj"), ("out", "out_proj")):
            for kind in ("weight", "bias"):
                names[f"{openai_prefix}.{src}.{proj}.{kind}"] = f"{hf_prefix}.{dst}.{hf_proj}.{kind}"
        for kind in ("weight", "bias"):
            names[f"{openai_prefix}.{src}_ln.{kind}"] = f"{hf_prefix}.{dst}_layer_norm.{kind}"
    for kind in ("weight", "bias"):
        names[f"{openai_prefix}.mlp.0.{kind}"] = f"{hf_prefix}.fc1.{kind}"
        names[f"{openai_prefix}.mlp.2.{kind}"] = f"{hf_prefix}.fc2.{kind}"
        names[f"{openai_prefix}.mlp_ln.{kind}"] = f"{hf_prefix}.final_layer_norm.{kind}"
    return names


def hf_tensor_name(name: str) -> str:
    fixed = {
        "encoder.positional_embedding": "model.encoder.embed_positions.weight",
        "decoder.positional_embedding": "model.decoder.embed_positions.weight",
        "decoder.token_embedding.weight": "model.decoder.embed_tokens.weight",
        "encoder.ln_post.weight": "model.encoder.layer_norm.weight",
        "encoder.ln_post.bias": "model.encoder.layer_norm.bias",
        "decoder.ln.weight": "model.decoder.layer_norm.weight",
        "decoder.ln.bias": "model.decoder.layer_norm.bias",
    }
    if name in fixed:
        return fixed[name]
    if name.startswith("encoder.conv"):
        return "model." + name
    parts = name.split(".")  # encoder.blocks.3.attn.query.weight
    openai_prefix = ".".join(parts[:3])
    hf_prefix = f"model.{parts[0]}.layers.{parts[2]}"
    return _hf_layer(openai_prefix, hf_prefix)[name]


def special_token_ids(tokenizer_json: Path) -> dict[str, int]:
    added = json.loads(Path(tokenizer_json).read_text())["added_tokens"]
    return {token["content"]: token["id"] for token in added}


def _language_ids(specials: dict[str, int]) -> dict[str, int]:
    return {
        tok: i for tok, i in specials.items()
        if tok.startswith("<|") and tok.endswith("|>") and tok not in _NON_LANGUAGE and not tok[2:3].isdigit()
    }


def build_configs(dims: WhisperDims, specials: dict[str, int], ct2_config: dict) -> tuple[dict, dict]:
    """(config.json fields, generation_config.json fields), the way OpenAI's checkpoints on the Hub have them.

    forced_decoder_ids is deprecated but still needed: generate() ignores it when language/task are passed, and
    without it a multilingual generate() with neither detects the language but adds no task token (the measured
    result on JFK with base: "Americans Americans Americans ...")."""
    eot = specials["<|endoftext|>"]
    sot = specials["<|startoftranscript|>"]
    config = {
        "vocab_size": dims.n_vocab,
        "num_mel_bins": dims.n_mels,
        "d_model": dims.n_audio_state,
        "encoder_layers": dims.n_audio_layer,
        "encoder_attention_heads": dims.n_audio_head,
        "decoder_layers": dims.n_text_layer,
        "decoder_attention_heads": dims.n_text_head,
        "encoder_ffn_dim": 4 * dims.n_audio_state,
        "decoder_ffn_dim": 4 * dims.n_text_state,
        "max_source_positions": dims.n_audio_ctx,
        "max_target_positions": dims.n_text_ctx,
        "bos_token_id": eot,
        "eos_token_id": eot,
        "pad_token_id": eot,
        "decoder_start_token_id": sot,
        "begin_suppress_tokens": list(ct2_config["suppress_ids_begin"]),
        "suppress_tokens": list(ct2_config["suppress_ids"]),
        "activation_function": "gelu",
        "scale_embedding": False,
        "tie_word_embeddings": True,
    }
    generation = {
        "alignment_heads": [list(pair) for pair in ct2_config["alignment_heads"]],
        "begin_suppress_tokens": list(ct2_config["suppress_ids_begin"]),
        "suppress_tokens": list(ct2_config["suppress_ids"]),
        "bos_token_id": eot,
        "eos_token_id": eot,
        "pad_token_id": eot,
        "decoder_start_token_id": sot,
        "is_multilingual": dims.multilingual,
        "max_initial_timestamp_index": 50,
        "max_length": dims.n_text_ctx,
        "no_timestamps_token_id": specials["<|notimestamps|>"],
        "prev_sot_token_id": specials["<|startofprev|>"],
        "return_timestamps": False,
    }
    if dims.multilingual:
        generation["lang_to_id"] = _language_ids(specials)
        generation["task_to_id"] = {"transcribe": specials["<|transcribe|>"], "translate": specials["<|translate|>"]}
        generation["forced_decoder_ids"] = [[1, None], [2, specials["<|transcribe|>"]]]
    else:
        generation["forced_decoder_ids"] = [[1, specials["<|notimestamps|>"]]]
    return config, generation


def write_hf(out_dir: Path, dims: WhisperDims, tensors: dict[str, np.ndarray], tokenizer_json: Path, ct2_config: dict) -> None:
    # Imported here: only this writer needs transformers/safetensors; the ggml path runs on numpy alone.
    from safetensors.numpy import save_file
    from transformers import (GenerationConfig, WhisperConfig, WhisperFeatureExtractor, WhisperProcessor,
                              WhisperTokenizerFast)

    out_dir.mkdir(parents=True, exist_ok=True)
    specials = special_token_ids(tokenizer_json)
    config_fields, generation_fields = build_configs(dims, specials, ct2_config)
    config = WhisperConfig(**config_fields)
    config.architectures = ["WhisperForConditionalGeneration"]
    config.save_pretrained(out_dir)
    GenerationConfig(**generation_fields).save_pretrained(out_dir)
    # proj_out.weight is tied to the token embedding, so (like the Hub checkpoints) it is not stored.
    weights = {hf_tensor_name(n): np.ascontiguousarray(v, dtype=np.float16) for n, v in tensors.items()}
    save_file(weights, str(out_dir / "model.safetensors"), metadata={"format": "pt"})
    (out_dir / "model.safetensors").chmod(0o644)
    eot = "<|endoftext|>"
    tokenizer = WhisperTokenizerFast(
        tokenizer_file=str(tokenizer_json), unk_token=eot, bos_token=eot, eos_token=eot, pad_token=eot,
        model_max_length=dims.n_text_ctx,
    )
    features = WhisperFeatureExtractor(feature_size=dims.n_mels)
    WhisperProcessor(feature_extractor=features, tokenizer=tokenizer).save_pretrained(out_dir)
    # transformers 5 folds the feature extractor into processor_config.json; 4.x reads preprocessor_config.json.
    features.save_pretrained(out_dir)
