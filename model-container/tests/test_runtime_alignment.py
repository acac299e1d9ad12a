"""DTW alignment and word grouping used for word timestamps."""
import numpy as np
import pytest

from runtime.alignment import dtw_path, group_words, median_filter, token_start_times


def reference_dtw(cost):
    """Straightforward O(rows x cols) version of the same recurrence, for comparison."""
    rows, cols = cost.shape
    total = np.full((rows + 1, cols + 1), np.inf)
    trace = -np.ones((rows + 1, cols + 1))
    total[0, 0] = 0
    for j in range(1, cols + 1):
        for i in range(1, rows + 1):
            c0, c1, c2 = total[i - 1, j - 1], total[i - 1, j], total[i, j - 1]
            if c0 < c1 and c0 < c2:
                c, t = c0, 0
            elif c1 < c0 and c1 < c2:
                c, t = c1, 1
            else:
                c, t = c2, 2
            total[i, j] = cost[i - 1, j - 1] + c
            trace[i, j] = t
    trace[0, :] = 2
    trace[:, 0] = 1
    i, j, text, time = rows, cols, [], []
    while i > 0 or j > 0:
        text.append(i - 1)
        time.append(j - 1)
        if trace[i, j] == 0:
            i, j = i - 1, j - 1
        elif trace[i, j] == 1:
            i -= 1
        else:
            j -= 1
    return np.array(text[::-1]), np.array(time[::-1])


@pytest.mark.parametrize("shape", [(1, 1), (1, 9), (7, 3), (12, 80), (30, 200)])
def test_vectorised_dtw_matches_the_reference(shape):
    cost = np.random.default_rng(sum(shape)).standard_normal(shape)
    text, time = dtw_path(cost)
    ref_text, ref_time = reference_dtw(cost)
    assert np.array_equal(text, ref_text) and np.array_equal(time, ref_time)


def test_median_filter():
    values = np.array([[1.0, 9.0, 1.0, 1.0, 5.0, 5.0, 5.0]])
    # Edges reflect without repeating the edge sample (as torch reflect padding does).
    assert median_filter(values, 3).tolist() == [[9.0, 1.0, 1.0, 1.0, 5.0, 5.0, 5.0]]
    assert median_filter(values, 1) is values


def test_token_start_times_follow_a_diagonal_attention():
    # 4 rows, 100 frames: row k attends to frames 25k..25k+24.
    attention = np.full((2, 4, 100), 1e-3)
    for k in range(4):
        attention[:, k, 25 * k : 25 * (k + 1)] = 1.0
    attention /= attention.sum(-1, keepdims=True)
    starts = token_start_times(attention, filter_width=7)
    assert np.allclose(starts, [0.0, 0.5, 1.0, 1.5], atol=0.06)


PIECES = {1: " Hello", 2: ",", 3: " wor", 4: "ld", 5: " (", 6: "yes", 7: ")", 8: " caf", 9: "\xc3", 10: "\xa9", 11: "!"}


def fake_decode(ids):
    # Tokens 9 and 10 are the two bytes of "é": apart they are not a whole character.
    text = "".join(PIECES[i] for i in ids)
    if "\xc3" in text and "\xa9" not in text or "\xa9" in text and "\xc3" not in text:
        return text.replace("\xc3", "\ufffd").replace("\xa9", "\ufffd")
    return text.replace("\xc3\xa9", "é")


def test_group_words_spaces_punctuation_and_split_characters():
    ids = list(PIECES)
    starts = [float(i) for i in range(len(ids))]
    ends = [float(i + 1) for i in range(len(ids))]
    logprobs = [np.log(0.5)] * len(ids)
    words = group_words(ids, fake_decode, starts, ends, logprobs)
    assert [w.word for w in words] == ["Hello,", "world", "(yes)", "café!"]
    hello, world = words[0], words[1]
    assert (hello.start, hello.end, hello.first_token, hello.last_token) == (0.0, 2.0, 0, 1)
    assert world.probability == pytest.approx(0.25)
    assert (words[3].start, words[3].end) == (7.0, 11.0)


def test_scripts_without_spaces_split_every_character_group():
    pieces = {1: "你", 2: "好", 3: "。"}
    words = group_words([1, 2, 3], lambda ids: "".join(pieces[i] for i in ids), [0, 1, 2], [1, 2, 3], [0, 0, 0], True)
    assert [w.word for w in words] == ["你", "好。"]
