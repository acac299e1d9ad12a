"""Whisper (large-v3-turbo by default) on Hugging Face transformers: fp16 + SDPA on CUDA, fp32 on CPU.

Long audio: cut into <= 30 s chunks at quiet moments (runtime/chunking.py) and decode the chunks
as one batch per BATCH_SIZE with the model's own generate(return_timestamps=True). Each chunk is
"short-form" for generate, so a batch of 8 chunks costs about one decode of 30 s, where
transformers' sequential long-form mode decodes one window after the other.

Written against transformers 4.4x and 5.x: only stable entry points are used (from_pretrained,
generate, the processor, module attributes q_proj/k_proj/encoder_attn) and both output shapes of
generate are parsed (runtime/timestamp_tokens.py). Needs torch + transformers: see tests_gpu/.
"""
from __future__ import annotations

import logging
import os
import re
from typing import Callable, Dict, List, Optional, Sequence

import numpy as np

from runtime.chunking import CHUNK_SECONDS, batched, plan_chunks
from runtime.protocol import SAMPLE_RATE, OptionNotSupported, RawResult, TranscribeOptions
from runtime.timestamp_tokens import SpecialTokens, TokenSegment, segments_from_generate, segments_from_tokens
from runtime.transformers_alignment import AlignmentModel, WordAligner

log = logging.getLogger("model-container.runtime")


def dtype_keyword(transformers_version: str) -> str:
    """from_pretrained(torch_dtype=...) became dtype=... in transformers 4.56."""
    major, minor = (int(part) for part in re.findall(r"\d+", transformers_version)[:2])
    return "dtype" if (major, minor) >= (4, 56) else "torch_dtype"


class TransformersRuntime:
    def __init__(
        self,
        locate: Callable[[], str],
        device: str = "auto",
        dtype: str = "auto",
        batch_size: int = 8,
        segment_timestamps: bool = True,
        generate_overrides: Optional[Dict] = None,
    ):
        self._locate = locate
        self._device_setting = device
        self._dtype_setting = dtype
        self.batch_size = batch_size
        self.segment_timestamps = segment_timestamps
        # Extra generate() arguments; the benchmark forces a fixed decode length with them.
        self.generate_overrides = dict(generate_overrides or {})
        self.name = "transformers"
        self._loaded = False
        self._translation_trained = False
        self.model = None
        self.processor = None

    # ---- SpeechRuntime -----------------------------------------------------------------
    @property
    def loaded(self) -> bool:
        return self._loaded

    @property
    def translation_trained(self) -> bool:
        return self._translation_trained

    def load(self) -> None:
        if self._loaded:  # one loaded model may serve several apps (tests); loading twice would double the memory
            return
        source = self._locate()  # first: "no model here" is the likelier and clearer error

        import torch
        import transformers
        from transformers import WhisperForConditionalGeneration, WhisperProcessor

        self._torch = torch
        self.device = self._pick_device(torch)
        self.dtype = self._pick_dtype(torch)
        log.info("loading %s on %s as %s (transformers %s)", source, self.device, self.dtype, transformers.__version__)
        kwargs = {dtype_keyword(transformers.__version__): self.dtype, "attn_implementation": "sdpa"}
        local = os.path.isdir(source)
        try:
            model = WhisperForConditionalGeneration.from_pretrained(source, local_files_only=local, **kwargs)
        except (ValueError, ImportError) as error:  # a torch without SDPA for this model
            log.warning("SDPA unavailable (%s); using eager attention", error)
            kwargs["attn_implementation"] = "eager"
            model = WhisperForConditionalGeneration.from_pretrained(source, local_files_only=local, **kwargs)
        self.model = model.to(self.device).eval()
        self.processor = WhisperProcessor.from_pretrained(source, local_files_only=local)
        self._read_model_facts()
        self.name = "whisper:" + os.path.basename(source.rstrip("/"))
        self.transcribe(np.zeros(SAMPLE_RATE, np.float32), TranscribeOptions(language=self._default_language()))  # warm-up
        self._loaded = True

    def transcribe(self, audio: np.ndarray, options: TranscribeOptions) -> RawResult:
        language = self._check_language(options.language)
        prompt_ids = self._prompt_ids(options.prompt)
        chunks = plan_chunks(audio)
        pieces = [np.ascontiguousarray(audio[start:end], dtype=np.float32) for start, end in chunks]
        segments: List[dict] = []
        with self._torch.inference_mode():
            if language is None and self.multilingual:
                language = self.detect_language(pieces)
            for indices in batched(list(range(len(pieces))), self.batch_size):
                batch = [pieces[i] for i in indices]
                durations = [len(p) / SAMPLE_RATE for p in batch]
                features = self.features(batch)
                with self.aligner.capture_encoder(enabled=options.word_timestamps) as encoded:
                    per_chunk = self._generate(features, durations, language, options, prompt_ids)
                words = None
                if options.word_timestamps:
                    words = self.aligner.words(features, encoded, per_chunk, batch, language, options.task)
                for position, index in enumerate(indices):
                    offset = chunks[index][0] / SAMPLE_RATE
                    segments.extend(self._segment_dicts(per_chunk[position], offset, words[position] if words else None))
        return {
            "text": "".join(s["text"] for s in segments).strip(),
            "language": "en" if options.task == "translate" else (language or "en"),
            "segments": segments,
        }

    # ---- steps -------------------------------------------------------------------------
    def features(self, batch: Sequence[np.ndarray]):
        """Log-mel features of 30 s windows. Chunks are zero-padded to 30 s here, as Whisper was
        trained, instead of relying on the extractor's padding default (which differs between
        the 4.x feature extractor and 5.x audio processors)."""
        window = int(CHUNK_SECONDS * SAMPLE_RATE)
        padded = [np.pad(p[:window], (0, window - len(p[:window]))) for p in batch]
        processor = self.processor
        extractor = getattr(processor, "feature_extractor", None) or getattr(processor, "audio_processor", None)
        kwargs = dict(sampling_rate=SAMPLE_RATE, return_tensors="pt")
        try:  # STFT on the GPU where this transformers version supports it
            out = extractor(padded, device=str(self.device), **kwargs)
        except TypeError:
            out = extractor(padded, **kwargs)
        return out["input_features"].to(self.device, self.dtype)

    def detect_language(self, pieces: Sequence[np.ndarray]) -> str:
        """One decoder step after <|startoftranscript|> on the loudest of the first three chunks
        (the first may be silence), restricted to language tokens."""
        torch = self._torch
        candidates = pieces[:3]
        loudest = int(np.argmax([float(np.mean(p.astype(np.float64) ** 2)) if len(p) else 0.0 for p in candidates]))
        features = self.features([candidates[loudest]])
        start = torch.full((1, 1), self.special.sot, dtype=torch.long, device=self.device)
        logits = self.model(input_features=features, decoder_input_ids=start, use_cache=False).logits[0, -1].float()
        ids = torch.tensor(list(self.lang_to_id.values()), device=self.device)
        best = int(ids[int(torch.argmax(logits[ids]))])
        return self.id_to_language[best]

    def _generate(self, features, durations, language, options, prompt_ids) -> List[List[TokenSegment]]:
        kwargs = dict(input_features=features, return_timestamps=self.segment_timestamps, temperature=options.temperature)
        if self.multilingual:
            kwargs.update(language=language, task=options.task)
        if prompt_ids is not None:
            kwargs["prompt_ids"] = prompt_ids
        if self.segment_timestamps:
            kwargs["return_segments"] = True
        kwargs.update(self.generate_overrides)
        output = self.model.generate(**kwargs)
        if isinstance(output, dict) and output.get("segments") is not None:
            return [segments_from_generate(s, self.special, d) for s, d in zip(output["segments"], durations)]
        sequences = output["sequences"] if isinstance(output, dict) else getattr(output, "sequences", output)
        return [segments_from_tokens(seq, self.special, d) for seq, d in zip(sequences, durations)]

    def _segment_dicts(self, token_segments: List[TokenSegment], offset: float, words) -> List[dict]:
        out = []
        for index, segment in enumerate(token_segments):
            item = {
                "start": segment.start + offset,
                "end": segment.end + offset,
                "text": self.decode(segment.tokens),
            }
            if words is not None:
                timed, avg_logprob, no_speech_prob = words[index]
                item["words"] = [
                    {"word": w.word, "start": w.start + offset, "end": w.end + offset, "probability": w.probability}
                    for w in timed
                ]
                item["avg_logprob"], item["no_speech_prob"] = avg_logprob, no_speech_prob
            out.append(item)
        return out

    # ---- helpers -----------------------------------------------------------------------
    def decode(self, tokens: Sequence[int]) -> str:
        return self.processor.tokenizer.decode(list(tokens), skip_special_tokens=True, clean_up_tokenization_spaces=False)

    def _prompt_ids(self, prompt: Optional[str]):
        if not prompt:
            return None
        try:
            ids = self.processor.tokenizer.get_prompt_ids(prompt, return_tensors="pt")
        except ValueError as error:
            raise OptionNotSupported(f"prompt: {error}") from None
        # The prompt may use at most half the decoder context; keep <|startofprev|> and the end.
        limit = self.model.config.max_target_positions // 2 - 1
        if len(ids) > limit:
            ids = self._torch.cat([ids[:1], ids[-(limit - 1) :]])
        return ids.to(self.device)

    def _check_language(self, language: Optional[str]) -> Optional[str]:
        if language is None:
            return None
        if not self.multilingual:
            if language != "en":
                raise OptionNotSupported(f"{self.name} is English-only")
            return language
        if f"<|{language}|>" not in self.lang_to_id:
            raise OptionNotSupported(f"language {language!r} is not supported by {self.name}")
        return language

    def _default_language(self) -> Optional[str]:
        return "en" if "<|en|>" in self.lang_to_id else None

    def _read_model_facts(self) -> None:
        tokenizer, generation, config = self.processor.tokenizer, self.model.generation_config, self.model.config
        self.special = SpecialTokens(
            eot=tokenizer.convert_tokens_to_ids("<|endoftext|>"),
            sot=tokenizer.convert_tokens_to_ids("<|startoftranscript|>"),
            no_timestamps=tokenizer.convert_tokens_to_ids("<|notimestamps|>"),
            timestamp_begin=tokenizer.convert_tokens_to_ids("<|notimestamps|>") + 1,
        )
        self.lang_to_id: Dict[str, int] = dict(getattr(generation, "lang_to_id", None) or {})
        self.task_to_id: Dict[str, int] = dict(getattr(generation, "task_to_id", None) or {})
        self.id_to_language = {token_id: token[2:-2] for token, token_id in self.lang_to_id.items()}
        self.multilingual = bool(self.lang_to_id) and getattr(generation, "is_multilingual", True) is not False
        # Turbo and distil-whisper keep the encoder and prune the decoder, then fine-tune it on
        # transcription only; full models have as many decoder layers as encoder layers.
        self._translation_trained = self.multilingual and config.decoder_layers >= config.encoder_layers
        self.aligner = WordAligner(
            AlignmentModel(
                model=self.model,
                torch=self._torch,
                device=self.device,
                special=self.special,
                decode=self.decode,
                multilingual=self.multilingual,
                lang_to_id=self.lang_to_id,
                task_to_id=self.task_to_id,
            )
        )

    def _pick_device(self, torch) -> "object":
        wanted = self._device_setting
        if wanted == "auto":
            wanted = "cuda" if torch.cuda.is_available() else "cpu"
        if wanted == "cuda" and not torch.cuda.is_available():
            raise RuntimeError("DEVICE=cuda but no CUDA device is visible")
        return torch.device(wanted)

    def _pick_dtype(self, torch):
        wanted = self._dtype_setting
        if wanted == "auto":
            wanted = "float16" if self.device.type == "cuda" else "float32"
        if self.device.type == "cpu" and wanted != "float32":
            log.warning("DTYPE=%s is slow or unsupported on CPU; using float32", wanted)
            wanted = "float32"
        return getattr(torch, wanted)
