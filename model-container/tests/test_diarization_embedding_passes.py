"""The CAM++ embedding path: windows grouped into passes of at most 30 s of one region, each window's 0/1 row over
the pass's 20 ms frame-level outputs, the Kaldi fbank front end (the same as the export's, scripts/models/speaker),
and one encoder run per pass with the real encoder on pyannote's two-speaker sample."""
from __future__ import annotations

import sys

import numpy as np
import pytest

from diarization_support import REPO, decode, encoder, speaker_assets
from runtime.diarization.diarize import embed_speech
from runtime.diarization.embedding_passes import MAX_PASS_SECONDS, EmbeddingPass, frame_outputs, plan_passes, window_rows
from runtime.diarization.embedding_windows import EmbeddingWindow, plan_embedding_windows
from runtime.diarization.kaldi_fbank import fbank, remove_band_means
from runtime.diarization.spans import TimeSpan
from runtime.diarization.speech_regions import energy_speech_regions


def test_a_long_region_is_cut_into_passes_that_cover_every_window_once():
    regions = [TimeSpan(0.0, 1.0), TimeSpan(2.0, 75.0), TimeSpan(80.0, 95.0)]
    windows = plan_embedding_windows(regions)
    passes = plan_passes(regions, windows)
    assert sorted(i for p in passes for i in p.windows) == list(range(len(windows)))
    assert passes[0] == EmbeddingPass(0.0, 1.0, [0])
    assert passes[-1].start == 80.0 and passes[-1].end == 95.0  # a region under 30 s is one pass
    long_region = [p for p in passes if windows[p.windows[0]].region == 1]
    assert len(long_region) == 3
    for p in passes:
        region = regions[windows[p.windows[0]].region]
        assert p.start == windows[p.windows[0]].start and p.end == min(region[1], p.start + MAX_PASS_SECONDS)
        assert all(windows[i].region == windows[p.windows[0]].region and windows[i].end <= p.end + 1e-9 for i in p.windows)
    # Each next pass starts at the first window the previous one could not take.
    assert long_region[1].windows[0] == long_region[0].windows[-1] + 1
    assert windows[long_region[1].windows[0]].end > long_region[0].end


def test_a_window_row_covers_its_20_ms_outputs_at_least_one_and_none_past_the_end():
    windows = [EmbeddingWindow(10.0, 11.6, 0), EmbeddingWindow(10.4, 12.0, 0), EmbeddingWindow(11.99, 11.995, 0)]
    rows = window_rows(EmbeddingPass(10.0, 12.0, [0, 1, 2]), windows, outputs=99)
    assert np.flatnonzero(rows[0]).tolist() == list(range(0, 80))
    assert np.flatnonzero(rows[1]).tolist() == list(range(20, 99))  # 100 would be past the pass's last output
    assert np.flatnonzero(rows[2]).tolist() == [98]  # starts past the end: the last output, one at least
    assert frame_outputs(198) == 99 and frame_outputs(199) == 100 and frame_outputs(1) == 1


def test_the_fbank_is_the_one_the_encoder_was_exported_and_checked_with():
    sys.path.insert(0, str(REPO))
    from scripts.models.speaker import kaldi_fbank as export_side

    rng = np.random.default_rng(3)
    samples = (0.1 * rng.standard_normal(16000 * 2 + 77)).astype(np.float32)
    for length in (len(samples), 399, 1):
        assert np.array_equal(fbank(samples[:length]), export_side.fbank(samples[:length]))
    assert np.array_equal(remove_band_means(fbank(samples)), export_side.remove_band_means(export_side.fbank(samples)))


class _CountingEncoder:
    def __init__(self, inner):
        self.inner = inner
        self.runs = []

    def embed(self, features, windows):
        self.runs.append((features.shape, windows.shape))
        return self.inner.embed(features, windows)


@pytest.fixture(scope="module")
def samples() -> np.ndarray:
    return decode(speaker_assets().sample_wav)


def test_one_encoder_run_per_pass_and_a_window_in_a_pass_is_close_to_the_window_alone(samples):
    regions = energy_speech_regions(samples)
    counting = _CountingEncoder(encoder())
    speech = embed_speech(samples, regions, counting)
    passes = plan_passes(regions, speech.windows)
    assert len(counting.runs) == len(passes)
    assert [rows[0] for _, rows in counting.runs] == [len(p.windows) for p in passes]
    assert np.allclose(np.linalg.norm(speech.embeddings, axis=1), 1.0, atol=1e-5)
    # CAM++'s context attention pools over the whole pass, so a window inside a pass is close to, not equal to, the
    # same window embedded on its own (on this sample's energy regions, which run up to 10 s: median cosine 0.91,
    # lowest 0.74).
    alone = [embed_speech(samples[round(w.start * 16000): round(w.end * 16000)], [TimeSpan(0.0, w.end - w.start)],
                          encoder()).embeddings[0] for w in speech.windows]
    cosines = np.einsum("ij,ij->i", np.stack(alone), speech.embeddings)
    assert np.median(cosines) > 0.88 and cosines.min() > 0.7
