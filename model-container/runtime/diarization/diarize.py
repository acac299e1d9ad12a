"""Who spoke when in 16 kHz mono audio, looking only inside the given speech regions
(apps/api/src/diarization/diarize.ts): embeddings on sliding windows → clustering → speaker turns."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Dict, List, NamedTuple, Optional, Protocol, Sequence

import numpy as np

from runtime.diarization.centroids import centroid, nearest_centroid
from runtime.diarization.clustering import ClusteringOptions, cluster_embeddings
from runtime.diarization.embedding_passes import frame_outputs, plan_passes, window_rows
from runtime.diarization.embedding_windows import EmbeddingWindow, plan_embedding_windows
from runtime.diarization.kaldi_fbank import FBANK_BANDS, SAMPLE_RATE, fbank, remove_band_means
from runtime.diarization.known_speakers import KnownVoice, name_clusters
from runtime.diarization.spans import SpeakerTurn, TimeSpan, js_round
from runtime.diarization.speaker_turns import speaker_turns

# Windows clustered pairwise at most; beyond, the rest join the nearest centroid (keeps an hour of speech to seconds).
MAX_CLUSTERED_WINDOWS = 600
EMBEDDING_SIZE = 192


class SpeakerEmbedder(Protocol):
    def embed(self, fbank: np.ndarray, windows: np.ndarray) -> np.ndarray:
        """fbank [1, frames, 80] float32 (band means removed), windows [count, frame_outputs(frames)] 0/1 rows →
        [count, 192] L2-normalised float32."""


@dataclass(frozen=True)
class DiarizationOptions:
    speakers: Optional[int] = None  # exact number of speakers, when the caller knows it
    min_speakers: Optional[int] = None
    max_speakers: Optional[int] = None
    known_voices: Sequence[KnownVoice] = ()


class EmbeddedSpeech(NamedTuple):
    windows: List[EmbeddingWindow]
    embeddings: np.ndarray  # [windows, 192] float32


def diarize(samples: np.ndarray, regions: Sequence[TimeSpan], embedder: SpeakerEmbedder, options: DiarizationOptions = DiarizationOptions()) -> List[SpeakerTurn]:
    windows, embeddings = embed_speech(samples, regions, embedder)
    if not windows:
        return []
    labels = cluster_all(embeddings, options)
    names = name_clusters(_group_by_label(embeddings, labels), options.known_voices) if options.known_voices else None
    return speaker_turns(regions, [w[:2] for w in windows], labels, names)


def embed_reference_voice(name: str, samples: np.ndarray, embedder: SpeakerEmbedder) -> KnownVoice:
    """A known speaker's voice from a reference clip (2–10 s, 16 kHz mono): every window of the whole clip."""
    _, embeddings = embed_speech(samples, [TimeSpan(0.0, len(samples) / SAMPLE_RATE)], embedder)
    return KnownVoice(name, embeddings)


def embed_speech(samples: np.ndarray, regions: Sequence[TimeSpan], embedder: SpeakerEmbedder) -> EmbeddedSpeech:
    """One embedding per planned window, one encoder run per pass (embedding_passes.py)."""
    samples = np.asarray(samples, dtype=np.float32)
    windows = plan_embedding_windows(regions)
    embeddings = np.zeros((len(windows), EMBEDDING_SIZE), dtype=np.float32)
    for embedding_pass in plan_passes(regions, windows):
        first = max(0, js_round(embedding_pass.start * SAMPLE_RATE))
        last = min(len(samples), js_round(embedding_pass.end * SAMPLE_RATE))
        features = remove_band_means(fbank(samples[first:last]))
        rows = window_rows(embedding_pass, windows, frame_outputs(len(features)))
        embeddings[embedding_pass.windows] = embedder.embed(features.reshape(1, -1, FBANK_BANDS), rows)
    return EmbeddedSpeech(windows, embeddings)


def cluster_all(embeddings: np.ndarray, options: DiarizationOptions) -> List[int]:
    # Without a count the count is estimated (clustering.py), as the API does; the cluster share follows from that.
    clustering = ClusteringOptions(speakers=options.speakers, min_speakers=options.min_speakers, max_speakers=options.max_speakers)
    if len(embeddings) <= MAX_CLUSTERED_WINDOWS:
        return cluster_embeddings(embeddings, clustering)
    stride = len(embeddings) / MAX_CLUSTERED_WINDOWS
    sample = embeddings[[math.floor(i * stride) for i in range(MAX_CLUSTERED_WINDOWS)]]
    sample_labels = np.asarray(cluster_embeddings(sample, clustering))
    centroids = [centroid(sample[sample_labels == k]) for k in range(int(sample_labels.max()) + 1)]
    return [nearest_centroid(e, centroids) for e in embeddings]


def _group_by_label(embeddings: np.ndarray, labels: Sequence[int]) -> Dict[int, List[np.ndarray]]:
    groups: Dict[int, List[np.ndarray]] = {}
    for embedding, label in zip(embeddings, labels):
        groups.setdefault(label, []).append(embedding)
    return groups
