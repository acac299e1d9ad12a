"""Whisper timestamp tokens -> timed segments (both output shapes of transformers' generate)."""
from runtime.timestamp_tokens import SpecialTokens, segments_from_generate, segments_from_tokens

# large-v3 ids: <|endoftext|> 50257, <|startoftranscript|> 50258, <|en|> 50259, <|transcribe|> 50360,
# <|startofprev|> 50362, <|notimestamps|> 50364, <|0.00|> 50365
SPECIAL = SpecialTokens(eot=50257, sot=50258, no_timestamps=50364, timestamp_begin=50365)


def ts(seconds):
    return SPECIAL.timestamp_begin + round(seconds / 0.02)


def test_pairs_of_timestamps_make_segments():
    tokens = [ts(0), 10, 11, ts(1.84), ts(1.84), 12, ts(3.1), SPECIAL.eot]
    segments = segments_from_tokens(tokens, SPECIAL, duration=5.0)
    assert [(s.start, s.end, s.tokens) for s in segments] == [(0.0, 1.84, [10, 11]), (1.84, 3.1, [12])]


def test_echoed_prompt_and_special_tokens_are_dropped():
    tokens = [50362, 500, 501, SPECIAL.sot, 50259, 50360, ts(0.5), 20, ts(2.0), SPECIAL.eot, SPECIAL.eot]
    segments = segments_from_tokens(tokens, SPECIAL, duration=3.0)
    assert [(s.start, s.end, s.tokens) for s in segments] == [(0.5, 2.0, [20])]


def test_unterminated_text_runs_to_the_end_and_times_are_clamped():
    tokens = [ts(1.0), 30, ts(2.0), 31, 32]
    segments = segments_from_tokens(tokens, SPECIAL, duration=2.5)
    assert [(s.start, s.end, s.tokens) for s in segments] == [(1.0, 2.0, [30]), (2.0, 2.5, [31, 32])]
    late = segments_from_tokens([ts(29.0), 33, ts(30.0)], SPECIAL, duration=12.0)
    assert [(s.start, s.end) for s in late] == [(12.0, 12.0)]


def test_no_timestamps_at_all():
    segments = segments_from_tokens([40, 41], SPECIAL, duration=7.0)
    assert [(s.start, s.end, s.tokens) for s in segments] == [(0.0, 7.0, [40, 41])]


def test_segments_returned_by_generate():
    raw = [
        {"start": 0.0, "end": 2.4, "tokens": [ts(0), 50, 51, ts(2.4)]},
        {"start": 2.4, "end": 2.4, "tokens": [ts(2.4), ts(2.4)]},
        {"start": 2.4, "end": 31.0, "tokens": [ts(2.4), 52, SPECIAL.eot]},
    ]
    segments = segments_from_generate(raw, SPECIAL, duration=29.0)
    assert [(s.start, s.end, s.tokens) for s in segments] == [(0.0, 2.4, [50, 51]), (2.4, 29.0, [52])]
