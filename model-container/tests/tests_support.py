"""Assertions shared by several test files."""
from typing import Any, Dict


def assert_result_shape(body: Dict[str, Any]) -> None:
    """The TranscriptionResult contract (libs/contracts/src/lib/transcription-result.ts)."""
    assert set(body) <= {"text", "language", "duration", "segments", "words"}
    assert isinstance(body["text"], str) and isinstance(body["language"], str)
    assert isinstance(body["duration"], float)
    for index, segment in enumerate(body["segments"]):
        assert segment["id"] == index
        assert 0 <= segment["start"] <= segment["end"] <= body["duration"]
        assert isinstance(segment["text"], str)
        assert set(segment) <= {"id", "start", "end", "text", "avg_logprob", "no_speech_prob", "words", "speaker"}
    for word in body.get("words", []):
        assert set(word) <= {"word", "start", "end", "probability", "speaker"}
        assert 0 <= word["start"] <= word["end"] <= body["duration"]
