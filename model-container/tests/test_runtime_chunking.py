"""Silence-aware 30 s chunking for batched decoding."""
import numpy as np

from runtime.chunking import batched, plan_chunks

SR = 16_000


def tone(seconds, amplitude=0.5):
    t = np.arange(int(seconds * SR)) / SR
    return (amplitude * np.sin(2 * np.pi * 220 * t)).astype(np.float32)


def test_short_audio_is_one_chunk():
    assert plan_chunks(np.zeros(SR * 12, np.float32)) == [(0, SR * 12)]
    assert plan_chunks(np.zeros(SR * 30, np.float32)) == [(0, SR * 30)]


def test_chunks_cover_everything_and_stay_under_30s():
    rng = np.random.default_rng(0)
    audio = (rng.standard_normal(SR * 200) * 0.1).astype(np.float32)
    chunks = plan_chunks(audio)
    assert chunks[0][0] == 0 and chunks[-1][1] == len(audio)
    assert all(a[1] == b[0] for a, b in zip(chunks, chunks[1:]))
    assert all(0 < end - start <= 30 * SR for start, end in chunks)
    assert 7 <= len(chunks) <= 8  # 200 s in chunks of 25..30 s


def test_cuts_land_in_silence():
    # Speech-like tone with a 0.6 s pause at 27.0 s and at 54.5 s.
    audio = np.concatenate([tone(27.0), np.zeros(int(0.6 * SR), np.float32), tone(26.9), np.zeros(int(0.6 * SR), np.float32), tone(20)])
    chunks = plan_chunks(audio)
    cuts = [end / SR for _, end in chunks[:-1]]
    assert len(cuts) == 2
    assert 27.0 <= cuts[0] <= 27.6
    assert 54.5 <= cuts[1] <= 55.1


def test_batched():
    assert batched(list(range(5)), 2) == [[0, 1], [2, 3], [4]]
