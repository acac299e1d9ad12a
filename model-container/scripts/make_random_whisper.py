#!/usr/bin/env python3
"""Write a random-weight Whisper in Hugging Face layout: real architecture, real special-token
ids (large-v3: 128 mels, 51866 tokens), no download. For tests_gpu/, the benchmark, and smoke-testing
an image without network:

    python scripts/make_random_whisper.py --dims tiny /tmp/whisper-random
    MODEL_PATH=/tmp/whisper-random ./serve

Needs torch and transformers (and tokenizers, which transformers brings). Its transcripts are
noise: it proves the plumbing and the speed, not accuracy.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from runtime.languages import WHISPER_LANGUAGE_CODES  # noqa: E402

# name: (d_model, encoder_layers, decoder_layers, heads)
DIMS = {
    "tiny": (64, 2, 2, 2),
    # Turbo's shape in miniature (fewer decoder than encoder layers): "not trained for translation".
    "tiny-pruned": (64, 2, 1, 2),
    "turbo": (1280, 32, 4, 20),  # whisper-large-v3-turbo
}
VOCAB_SIZE = 51866
EOT, SOT = 50257, 50258
FIRST_LANGUAGE = 50259
TRANSLATE, TRANSCRIBE, START_OF_LM, START_OF_PREV, NO_SPEECH, NO_TIMESTAMPS = range(50359, 50365)
TIMESTAMP_BEGIN = 50365


def byte_symbols():
    """The 256 printable characters byte-level BPE uses for the 256 byte values (GPT-2 scheme:
    printable Latin-1 bytes stand for themselves, the others are shifted above U+0100)."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAD)) + list(range(0xAE, 0x100))
    symbols, shifted = {}, 0
    for value in range(256):
        if value in printable:
            symbols[value] = chr(value)
        else:
            symbols[value] = chr(256 + shifted)
            shifted += 1
    return [symbols[v] for v in range(256)]


def special_tokens():
    tokens = {EOT: "<|endoftext|>", SOT: "<|startoftranscript|>"}
    for offset, code in enumerate(WHISPER_LANGUAGE_CODES):
        tokens[FIRST_LANGUAGE + offset] = f"<|{code}|>"
    tokens.update({
        TRANSLATE: "<|translate|>", TRANSCRIBE: "<|transcribe|>", START_OF_LM: "<|startoflm|>",
        START_OF_PREV: "<|startofprev|>", NO_SPEECH: "<|nospeech|>", NO_TIMESTAMPS: "<|notimestamps|>",
    })  # fmt: skip
    timestamps = {TIMESTAMP_BEGIN + i: f"<|{i * 0.02:.2f}|>" for i in range(1501)}
    return tokens, timestamps


def vocabulary():
    symbols = byte_symbols()
    vocab = {symbol: i for i, symbol in enumerate(symbols)}
    # Fill 256..50256 with two-symbol pieces: never produced without merges, but decodable.
    pairs = (a + b for a in symbols for b in symbols)
    while len(vocab) < EOT:
        vocab.setdefault(next(pairs), len(vocab))
    specials, timestamps = special_tokens()
    for token_id, token in {**specials, **timestamps}.items():
        vocab[token] = token_id
    assert len(vocab) == VOCAB_SIZE
    return vocab, specials, timestamps


def write_tokenizer(out: Path) -> None:
    vocab, specials, timestamps = vocabulary()
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False))
    (out / "merges.txt").write_text("#version: 0.2\n")
    added = {**specials, **timestamps}
    (out / "added_tokens.json").write_text(json.dumps({token: i for i, token in added.items()}))
    extra = [specials[i] for i in sorted(specials) if i != EOT]
    (out / "special_tokens_map.json").write_text(json.dumps({
        "bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>", "unk_token": "<|endoftext|>",
        "pad_token": "<|endoftext|>", "additional_special_tokens": extra,
    }))  # fmt: skip
    decoder = {
        str(i): {"content": token, "special": i in specials, "lstrip": False, "rstrip": False, "normalized": False, "single_word": False}
        for i, token in sorted(added.items())
    }
    (out / "tokenizer_config.json").write_text(json.dumps({
        "tokenizer_class": "WhisperTokenizer", "model_max_length": 448, "errors": "replace",
        "add_prefix_space": False, "clean_up_tokenization_spaces": False,
        "bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>", "unk_token": "<|endoftext|>",
        "pad_token": "<|endoftext|>", "additional_special_tokens": extra, "added_tokens_decoder": decoder,
    }))  # fmt: skip
    try:
        from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers
    except ImportError:
        return  # the slow tokenizer reads vocab.json + merges.txt
    fast = Tokenizer(models.BPE(vocab=vocab, merges=[]))
    fast.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    fast.decoder = decoders.ByteLevel()
    fast.add_special_tokens([AddedToken(specials[i], special=True, normalized=False) for i in sorted(specials)])
    fast.add_tokens([AddedToken(timestamps[i], special=False, normalized=False) for i in sorted(timestamps)])
    fast.save(str(out / "tokenizer.json"))


def generation_config(decoder_layers: int, heads: int) -> dict:
    specials, _ = special_tokens()
    return {
        "alignment_heads": [[layer, head] for layer in range(decoder_layers // 2, decoder_layers) for head in range(min(heads, 4))],
        "begin_suppress_tokens": [220, EOT],
        "bos_token_id": EOT, "decoder_start_token_id": SOT, "eos_token_id": EOT, "pad_token_id": EOT,
        "is_multilingual": True,
        "lang_to_id": {specials[i]: i for i in range(FIRST_LANGUAGE, TRANSLATE)},
        "task_to_id": {"translate": TRANSLATE, "transcribe": TRANSCRIBE},
        "max_initial_timestamp_index": 50, "max_length": 448,
        "no_timestamps_token_id": NO_TIMESTAMPS, "prev_sot_token_id": START_OF_PREV,
        "return_timestamps": False, "suppress_tokens": [START_OF_LM, START_OF_PREV],
    }  # fmt: skip


def build(out_dir: str, dims: str = "tiny", seed: int = 0, device: str = "cpu") -> str:
    import torch
    from transformers import WhisperConfig, WhisperForConditionalGeneration

    d_model, encoder_layers, decoder_layers, heads = DIMS[dims]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    config = WhisperConfig(
        vocab_size=VOCAB_SIZE, num_mel_bins=128, d_model=d_model,
        encoder_layers=encoder_layers, decoder_layers=decoder_layers,
        encoder_attention_heads=heads, decoder_attention_heads=heads,
        encoder_ffn_dim=4 * d_model, decoder_ffn_dim=4 * d_model,
        max_source_positions=1500, max_target_positions=448,
        decoder_start_token_id=SOT, pad_token_id=EOT, bos_token_id=EOT, eos_token_id=EOT,
        median_filter_width=7,
    )  # fmt: skip
    # Generation settings (suppress tokens, ...) go only to generation_config.json: save_pretrained
    # refuses non-default generation parameters in the model config.
    torch.manual_seed(seed)
    with torch.device(device):  # initialising 800M parameters is much faster on the GPU
        model = WhisperForConditionalGeneration(config)
    if dims == "turbo":
        model = model.half()  # what the real checkpoint ships: halves disk and load time
    model.save_pretrained(str(out))
    (out / "generation_config.json").write_text(json.dumps(generation_config(decoder_layers, heads), indent=1))
    # Written as JSON (what large-v3 ships) rather than by a class that transformers 5 is replacing.
    (out / "preprocessor_config.json").write_text(json.dumps({
        "feature_extractor_type": "WhisperFeatureExtractor", "processor_class": "WhisperProcessor",
        "feature_size": 128, "sampling_rate": 16000, "hop_length": 160, "chunk_length": 30, "n_fft": 400,
        "n_samples": 480000, "nb_max_frames": 3000, "padding_side": "right", "padding_value": 0.0,
        "return_attention_mask": False,
    }))  # fmt: skip
    write_tokenizer(out)
    return str(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir")
    parser.add_argument("--dims", choices=sorted(DIMS), default="tiny")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()
    print(build(args.out_dir, args.dims, args.seed, args.device))
    print(sorted(os.listdir(args.out_dir)))


if __name__ == "__main__":
    main()
