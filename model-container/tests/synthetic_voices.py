"""Speaker embeddings in miniature, reproducible from a seed (no model, no audio): the same vectors as the API's
apps/api/src/diarization/testing/synthetic-voices.ts for the same seed, so the count tests here run on the TypeScript
specs' very inputs. JavaScript's arithmetic is mirrored: doubles for the generator, float32 for the vectors."""
from __future__ import annotations

import math
from typing import Callable, Optional, Sequence

import numpy as np


def seeded_random(seed: int) -> Callable[[], float]:
    """A linear congruential generator in doubles, as JavaScript computes it: values in [−0.5, 0.5)."""
    state = float(seed)

    def next_value() -> float:
        nonlocal state
        # The product exceeds 2^53 and rounds, exactly as in JavaScript; fmod is JavaScript's % on positive doubles.
        state = math.fmod(state * 1103515245.0 + 12345.0, 2.0**31)
        return state / 2.0**31 - 0.5

    return next_value


def synthetic_voices(
    plan: Sequence[int], seed: int, jitter: float, dims: int = 16, directions: Optional[Sequence[Sequence[float]]] = None
) -> np.ndarray:
    """One unit float32 vector per entry of `plan` (the speaker of each window): that speaker's direction (default:
    axis `speaker`) plus seeded jitter. [len(plan), dims]."""
    random = seeded_random(seed)
    rows = []
    for speaker in plan:
        v = np.zeros(dims, dtype=np.float32)
        if directions is not None:
            v[: len(directions[speaker])] = directions[speaker]
        else:
            v[speaker] = 1.0
        for d in range(dims):
            v[d] = np.float32(float(v[d]) + jitter * random())
        norm = math.hypot(*(float(x) for x in v))
        rows.append(np.asarray([float(x) / norm for x in v], dtype=np.float32))
    return np.stack(rows)
