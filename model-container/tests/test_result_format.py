"""Segment texts on the wire keep Whisper's leading space, so segments joined with "" (as the API joins them)
read as the text does."""
from app.result_format import to_wire_result


def segment(text, start=0.0, end=1.0):
    return {"start": start, "end": end, "text": text}


def test_segment_texts_keep_one_leading_space_and_lose_trailing_ones():
    raw = {"text": None, "language": "en", "segments": [segment(" Press 1.  "), segment("2 to lock.", 1, 2), segment("\n  Or 8.", 2, 3)]}
    wire = to_wire_result(raw, 3.0, want_words=False)
    assert [s["text"] for s in wire["segments"]] == [" Press 1.", "2 to lock.", " Or 8."]


def test_without_a_runtime_text_segments_are_joined_with_a_space_only_where_neither_side_has_one():
    raw = {"language": "en", "segments": [segment(" Press 1."), segment("2 to lock.", 1, 2), segment(" Or 8.", 2, 3)]}
    assert to_wire_result(raw, 3.0, want_words=False)["text"] == "Press 1. 2 to lock. Or 8."


def test_blank_segments_are_dropped():
    raw = {"text": "Hi.", "language": "en", "segments": [segment("   "), segment(" Hi.", 1, 2)]}
    wire = to_wire_result(raw, 2.0, want_words=False)
    assert [(s["id"], s["text"]) for s in wire["segments"]] == [(0, " Hi.")]
