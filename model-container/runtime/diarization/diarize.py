"""Who spoke when in 16 kHz mono audio, looking only inside the given speech regions
(apps/api/src/diarization/diarize.ts): embeddings on sliding windows → clustering → speaker turns."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Dict, List, NamedTuple, Optional, Protocol, Sequence

import numpy as np

from runtime.diarization.clustering import ClusteringOptions, centroid, cluster_embeddings, nearest_centroid
from runtime.diarization.embedding_windows import EmbeddingWindow, plan_embedding_windows
from runtime.diarization.known_speakers import KnownVoice, name_clusters
from runtime.diarization.mel_frontend import HOP, MEL_BANDS, SAMPLE_RATE, mel_spectrogram
from runtime.diarization.spans import SpeakerTurn, TimeSpan, js_round
from runtime.diarization.speaker_turns import speaker_turns

# Cosine distance under which two clusters are one speaker, when the count is not given (tuned in bench/diarization).
DEFAULT_THRESHOLD = 0.3
# Windows clustered pairwise at most; beyond, the rest join the nearest centroid (keeps an hour of speech to seconds).
MAX_CLUSTERED_WINDOWS = 600
BATCH = 32
FRAMES_PER_SECOND = SAMPLE_RATE / HOP
# Resemblyzer raises quiet speech to −30 dBFS (never lowers it) before embedding; the encoder was trained so.
TARGET_DBFS = -30.0


class SpeakerEmbedder(Protocol):
    def embed(self, mels: np.ndarray) -> np.ndarray:
        """[count, frames, 40] float32 power mel → [count, 256] L2-normalised float32."""


@dataclass(frozen=True)
class DiarizationOptions:
    speakers: Optional[int] = None  # exact number of speakers, when the caller knows it
    min_speakers: Optional[int] = None
    max_speakers: Optional[int] = None
    threshold: float = DEFAULT_THRESHOLD
    known_voices: Sequence[KnownVoice] = ()


class EmbeddedSpeech(NamedTuple):
    windows: List[EmbeddingWindow]
    embeddings: np.ndarray  # [windows, 256] float32
    gain: float  # the loudness gain applied before embedding (Resemblyzer's −30 dBFS rule)


def diarize(samples: np.ndarray, regions: Sequence[TimeSpan], embedder: SpeakerEmbedder, options: DiarizationOptions = DiarizationOptions()) -> List[SpeakerTurn]:
    windows, embeddings, _ = embed_speech(samples, regions, embedder)
    if not windows:
        return []
    labels = cluster_all(embeddings, options)
    names = name_clusters(_group_by_label(embeddings, labels), options.known_voices) if options.known_voices else None
    return speaker_turns(regions, [w[:2] for w in windows], labels, names)


def embed_reference_voice(name: str, samples: np.ndarray, embedder: SpeakerEmbedder) -> KnownVoice:
    """A known speaker's voice from a reference clip (2–10 s, 16 kHz mono): every window of the whole clip."""
    _, embeddings, _ = embed_speech(samples, [TimeSpan(0.0, len(samples) / SAMPLE_RATE)], embedder)
    return KnownVoice(name, embeddings)


def embed_speech(samples: np.ndarray, regions: Sequence[TimeSpan], embedder: SpeakerEmbedder) -> EmbeddedSpeech:
    samples = np.asarray(samples, dtype=np.float32)
    windows = plan_embedding_windows(regions)
    gain = loudness_gain(samples, regions)
    if not windows:
        return EmbeddedSpeech(windows, np.zeros((0, 256), dtype=np.float32), gain)
    return EmbeddedSpeech(windows, _embed_windows(samples, regions, windows, gain, embedder), gain)


def _sample_range(samples: np.ndarray, region: TimeSpan) -> slice:
    return slice(max(0, js_round(region[0] * SAMPLE_RATE)), min(len(samples), js_round(region[1] * SAMPLE_RATE)))


def loudness_gain(samples: np.ndarray, regions: Sequence[TimeSpan]) -> float:
    total, count = 0.0, 0
    for region in regions:
        speech = samples[_sample_range(samples, region)].astype(np.float64)
        total += float(np.dot(speech, speech))
        count += speech.size
    if count == 0 or total == 0:
        return 1.0
    rms_dbfs = 10 * math.log10(total / count)
    return 10 ** ((TARGET_DBFS - rms_dbfs) / 20) if rms_dbfs < TARGET_DBFS else 1.0


def _embed_windows(samples, regions, windows: Sequence[EmbeddingWindow], gain: float, embedder: SpeakerEmbedder) -> np.ndarray:
    # One spectrogram per speech region, sliced per window as Resemblyzer slices its partials (windows overlap 4×,
    # so this is 4× less FFT work than one spectrogram per window). Power mel scales with gain².
    region_mels: Dict[int, np.ndarray] = {}
    for index in sorted({w.region for w in windows}):
        mel = mel_spectrogram(samples[_sample_range(samples, regions[index])])
        region_mels[index] = mel if gain == 1 else (mel.astype(np.float64) * (gain * gain)).astype(np.float32)
    slices = []
    for w in windows:
        mel = region_mels[w.region]
        available = len(mel)
        first = min(available - 1, js_round((w.start - regions[w.region][0]) * FRAMES_PER_SECOND))
        frames = max(1, min(available - first, math.floor(((w.end - w.start) * SAMPLE_RATE) / HOP)))
        slices.append(mel[first : first + frames])
    result = np.zeros((len(windows), 256), dtype=np.float32)
    # Windows of equal length share a batch (most are exactly 160 frames).
    by_length: Dict[int, List[int]] = {}
    for i, values in enumerate(slices):
        by_length.setdefault(len(values), []).append(i)
    for indices in by_length.values():
        for b in range(0, len(indices), BATCH):
            batch = indices[b : b + BATCH]
            embedded = embedder.embed(np.stack([slices[i] for i in batch]).reshape(len(batch), -1, MEL_BANDS))
            result[batch] = embedded
    return result


def cluster_all(embeddings: np.ndarray, options: DiarizationOptions) -> List[int]:
    clustering = ClusteringOptions(
        threshold=options.threshold,
        speakers=options.speakers,
        min_speakers=options.min_speakers,
        max_speakers=options.max_speakers,
    )
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
