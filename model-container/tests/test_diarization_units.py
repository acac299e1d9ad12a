"""The diarization port's pure parts on small made-up inputs, for the paths the parity fixture does not reach:
long recordings (clustering a sample of the windows), regions too short to embed, short runs, energy regions."""
from __future__ import annotations

import numpy as np

from runtime.diarization.diarize import MAX_CLUSTERED_WINDOWS, DiarizationOptions, cluster_all
from runtime.diarization.spans import SpeakerTurn, TimeSpan, speaker_label
from runtime.diarization.speaker_turns import speaker_turns
from runtime.diarization.speech_regions import energy_speech_regions, split_long_regions


def _voices(counts, seed=0):
    """Unit vectors around one random direction per speaker."""
    rng = np.random.default_rng(seed)
    rows, truth = [], []
    for speaker, count in enumerate(counts):
        centre = rng.standard_normal(256)
        points = centre + 0.25 * np.linalg.norm(centre) / 16 * rng.standard_normal((count, 256))
        rows.append(points / np.linalg.norm(points, axis=1, keepdims=True))
        truth += [speaker] * count
    order = rng.permutation(len(truth))
    return np.concatenate(rows).astype(np.float32)[order], np.asarray(truth)[order]


def _same_partition(labels, truth) -> bool:
    pairs = set(zip(labels, truth.tolist()))
    return len(pairs) == len(set(labels)) == len(set(truth.tolist()))


def test_speaker_labels_run_like_spreadsheet_columns():
    assert [speaker_label(i) for i in (0, 1, 25, 26, 27, 701, 702)] == ["A", "B", "Z", "AA", "AB", "ZZ", "AAA"]


def test_a_long_recording_clusters_a_sample_and_the_rest_joins_the_nearest_centroid():
    embeddings, truth = _voices([500, 400, 300])
    assert len(embeddings) > MAX_CLUSTERED_WINDOWS
    assert _same_partition(cluster_all(embeddings, DiarizationOptions()), truth)
    assert _same_partition(cluster_all(embeddings, DiarizationOptions(speakers=3)), truth)
    assert len(set(cluster_all(embeddings, DiarizationOptions(max_speakers=2)))) == 2


def test_a_few_odd_windows_do_not_use_up_the_speaker_budget():
    embeddings, truth = _voices([40, 40, 1, 1], seed=3)
    labels = cluster_all(embeddings, DiarizationOptions(speakers=2))
    big = truth < 2
    assert _same_partition([l for l, b in zip(labels, big) if b], truth[big])


def test_a_region_too_short_to_embed_takes_the_nearest_window_and_short_runs_join_a_neighbour():
    regions = [TimeSpan(0.0, 3.0), TimeSpan(3.2, 3.5), TimeSpan(5.0, 6.0)]
    windows = [TimeSpan(0.0, 1.6), TimeSpan(0.4, 2.0), TimeSpan(0.8, 2.4), TimeSpan(1.2, 2.8), TimeSpan(1.4, 3.0), TimeSpan(5.0, 6.0)]
    # One window in the middle disagrees: its 0.2 s of nearest-centre frames are too short to be a turn.
    labels = [0, 0, 1, 0, 0, 1]
    assert speaker_turns(regions, windows, labels) == [
        SpeakerTurn(0.0, 3.0, "A"),
        SpeakerTurn(3.2, 3.5, "A"),  # nearest window ends at 3.0
        SpeakerTurn(5.0, 6.0, "B"),
    ]
    assert speaker_turns(regions, windows, labels, {1: "Ann"})[-1].speaker == "Ann"


def test_energy_regions_find_bursts_and_nothing_in_silence():
    rng = np.random.default_rng(1)
    audio = (0.001 * rng.standard_normal(16000 * 6)).astype(np.float32)
    t = np.arange(16000) / 16000
    for start in (1, 4):
        audio[start * 16000 : (start + 1) * 16000] += (0.3 * np.sin(2 * np.pi * 200 * t)).astype(np.float32)
    regions = energy_speech_regions(audio)
    assert len(regions) == 2
    for (start, end), expected in zip(regions, (1, 4)):
        assert abs(start - expected) < 0.06 and abs(end - (expected + 1)) < 0.06
    assert energy_speech_regions(np.zeros(16000, dtype=np.float32)) == []


def test_energy_regions_bridge_short_pauses_drop_clicks_and_pad_a_little():
    """energy-speech-regions.spec.ts's input: 1 s faint noise, 1 s loud 200 Hz tone, 0.1 s gap, 0.5 s tone, 1 s noise,
    a 50 ms click, 0.5 s noise."""
    parts = [(1, False), (1, True), (0.1, False), (0.5, True), (1, False), (0.05, True), (0.5, False)]
    out, seed = [], 1
    for seconds, loud in parts:
        for _ in range(round(seconds * 16000)):
            seed = seed * 16807 % 2147483647
            noise = (seed / 2147483647 - 0.5) * 0.002
            out.append(noise + (0.3 * np.sin(2 * np.pi * 200 * len(out) / 16000) if loud else 0.0))
    regions = energy_speech_regions(np.asarray(out, dtype=np.float32))
    assert len(regions) == 1
    assert abs(regions[0].start - 0.95) < 0.05 and abs(regions[0].end - 2.65) < 0.05
    assert energy_speech_regions(np.zeros(0, dtype=np.float32)) == []


def test_long_regions_are_cut_into_equal_pieces():
    pieces = split_long_regions([TimeSpan(1.0, 2.0), TimeSpan(10.0, 160.0)], 60.0)
    assert pieces == [TimeSpan(1.0, 2.0), TimeSpan(10.0, 60.0), TimeSpan(60.0, 110.0), TimeSpan(110.0, 160.0)]
