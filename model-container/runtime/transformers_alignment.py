"""Word timestamps for TransformersRuntime: the torch half of runtime/alignment.py.

After generate(), one teacher-forced decoder pass over each chunk's text tokens gives
- the cross-attention of the alignment heads (-> DTW -> token times),
- each token's log-probability (-> word probability, segment avg_logprob),
- P(<|nospeech|>) at the start position (-> segment no_speech_prob).

The attention weights are recomputed here from q_proj/k_proj rather than requested with
output_attentions=True: SDPA kernels do not return weights, and from transformers 5 asking for
them no longer falls back to eager attention. The encoder output is captured from generate()'s
own encoder call, so word timestamps cost one cheap 4-layer decoder pass, not a second encoder pass.
"""
from __future__ import annotations

import contextlib
import math
import threading
from dataclasses import dataclass
from typing import Any, Callable, List, Mapping, Sequence, Tuple

import numpy as np

from runtime.alignment import TimedWord, group_words, token_start_times
from runtime.languages import LANGUAGES_WITHOUT_SPACES
from runtime.protocol import SAMPLE_RATE
from runtime.timestamp_tokens import SpecialTokens, TokenSegment

SAMPLES_PER_ENCODER_FRAME = 320  # 20 ms

# per segment: (words, avg_logprob, no_speech_prob)
SegmentWords = Tuple[List[TimedWord], float, float]


@dataclass(frozen=True)
class AlignmentModel:
    """What the aligner needs of a loaded Whisper model, handed over by whoever loaded it
    (TransformersRuntime): the aligner never reaches into the runtime's own state."""

    model: Any  # WhisperForConditionalGeneration, in eval mode on `device`
    torch: Any  # the torch module, imported by the loader (torch stays an optional import)
    device: Any
    special: SpecialTokens
    decode: Callable[[Sequence[int]], str]
    multilingual: bool
    lang_to_id: Mapping[str, int]
    task_to_id: Mapping[str, int]


class WordAligner:
    def __init__(self, loaded: AlignmentModel):
        self.loaded = loaded
        config, generation = loaded.model.config, loaded.model.generation_config
        self.num_heads = config.decoder_attention_heads
        self.head_dim = config.d_model // self.num_heads
        self.filter_width = int(getattr(config, "median_filter_width", 7) or 7)
        heads = getattr(generation, "alignment_heads", None)
        if not heads:  # models without published alignment heads: the upper half of the decoder
            layers = config.decoder_layers
            heads = [[layer, head] for layer in range(layers // 2, layers) for head in range(self.num_heads)]
        self.heads = [(int(layer), int(head)) for layer, head in heads]

    @contextlib.contextmanager
    def capture_encoder(self, enabled: bool):
        """Keep the first encoder output computed on this thread (generate's, on the whole batch)."""
        captured: list = []
        if not enabled:
            yield captured
            return
        owner = threading.get_ident()

        def keep_first(module, inputs, output):
            if not captured and threading.get_ident() == owner:
                captured.append(output[0] if isinstance(output, tuple) else output.last_hidden_state)

        handle = self.loaded.model.get_encoder().register_forward_hook(keep_first)
        try:
            yield captured
        finally:
            handle.remove()

    def words(
        self, features, encoded: list, per_chunk: List[List[TokenSegment]], audio: Sequence[np.ndarray], language, task
    ) -> List[List[SegmentWords]]:
        loaded, torch = self.loaded, self.loaded.torch
        encoder_states = encoded[0] if encoded and encoded[0].shape[0] == features.shape[0] else None
        if encoder_states is None:  # generate() took another path: compute it once more
            encoder_states = loaded.model.get_encoder()(features).last_hidden_state
        special = loaded.special
        prefix = [special.sot]
        if loaded.multilingual:
            prefix += [loaded.lang_to_id[f"<|{language}|>"], loaded.task_to_id[task]]
        prefix.append(special.no_timestamps)
        room = loaded.model.config.max_target_positions - len(prefix) - 1
        texts = [[t for s in segments for t in s.tokens][:room] for segments in per_chunk]
        longest = max(len(t) for t in texts)
        rows = [prefix + t + [special.eot] * (longest + 1 - len(t)) for t in texts]
        tokens = torch.tensor(rows, dtype=torch.long, device=loaded.device)

        queries, hidden = self._decoder_pass(tokens, encoder_states)
        project = loaded.model.get_output_embeddings()

        first_row = len(prefix) - 1  # the row that predicts the first text token
        every_unit = language in LANGUAGES_WITHOUT_SPACES
        results = []
        for b, (text, segments) in enumerate(zip(texts, per_chunk)):
            frames = max(1, min(encoder_states.shape[1], math.ceil(len(audio[b]) / SAMPLES_PER_ENCODER_FRAME)))
            if not text:
                results.append([([], 0.0, 0.0) for _ in segments])
                continue
            rows_b = {layer: q[b, first_row : first_row + len(text) + 1] for layer, q in queries.items()}
            attention = self._alignment_scores(rows_b, encoder_states[b, :frames]).softmax(dim=-1)
            times = token_start_times(attention.cpu().numpy(), self.filter_width)
            duration = len(audio[b]) / SAMPLE_RATE
            starts, ends = np.minimum(times[:-1], duration), np.minimum(times[1:], duration)
            # Vocabulary-wide log-softmax one chunk at a time: all at once is gigabytes at batch 16.
            logprobs = torch.log_softmax(project(hidden[b, : first_row + len(text)]).float(), dim=-1)
            chosen = torch.tensor(text, device=loaded.device)
            token_logprobs = logprobs[first_row:].gather(-1, chosen[:, None])[:, 0].cpu().numpy()
            no_speech = float(logprobs[0, special.no_speech].exp())
            results.append(self._per_segment(segments, text, starts, ends, token_logprobs, no_speech, every_unit))
        return results

    def _per_segment(self, segments, text, starts, ends, token_logprobs, no_speech, every_unit) -> List[SegmentWords]:
        out, first = [], 0
        for segment in segments:
            last = min(first + len(segment.tokens), len(text))  # tokens past the context were cut
            if last <= first:
                out.append(([], 0.0, no_speech))
                continue
            words = group_words(
                text[first:last], self.loaded.decode, starts[first:last], ends[first:last], token_logprobs[first:last], every_unit
            )
            out.append((words, float(np.mean(token_logprobs[first:last])), no_speech))
            first = last
        return out

    def _decoder_pass(self, tokens, encoder_states):
        """Teacher-forced decoder over the tokens, keeping the input of each needed cross-attention."""
        decoder = self.loaded.model.get_decoder()
        queries = {}
        owner = threading.get_ident()

        def keep_query(layer):
            def hook(module, args, kwargs):
                if threading.get_ident() == owner:
                    queries[layer] = kwargs["hidden_states"] if "hidden_states" in kwargs else args[0]

            return hook

        handles = [
            decoder.layers[layer].encoder_attn.register_forward_pre_hook(keep_query(layer), with_kwargs=True)
            for layer in sorted({layer for layer, _ in self.heads})
        ]
        try:
            hidden = decoder(input_ids=tokens, encoder_hidden_states=encoder_states, use_cache=False).last_hidden_state
        finally:
            for handle in handles:
                handle.remove()
        return queries, hidden

    def _alignment_scores(self, queries, encoder_states):
        """Scores q.k/sqrt(d) of the alignment heads for one chunk: (heads, rows, frames), in
        float32, computed per chunk to keep memory small at batch 16."""
        torch, decoder = self.loaded.torch, self.loaded.model.get_decoder()
        frames = encoder_states.shape[0]
        keys_by_layer, per_head = {}, []
        for layer, head in self.heads:
            attention = decoder.layers[layer].encoder_attn
            if layer not in keys_by_layer:
                keys_by_layer[layer] = attention.k_proj(encoder_states).view(frames, self.num_heads, self.head_dim)
            query = attention.q_proj(queries[layer])
            query = query.view(query.shape[0], self.num_heads, self.head_dim)[:, head].float()
            key = keys_by_layer[layer][:, head].float()
            per_head.append(query @ key.T / math.sqrt(self.head_dim))
        return torch.stack(per_head, dim=0)
