"""Custom-attributes header and JSON options -> TranscribeOptions (and the diarization ask)."""
import pytest

from app.diarization_options import DiarizationAsk
from app.errors import ProblemError
from app.options import invocation_options_from_header, invocation_options_from_json, parse_custom_attributes
from runtime.protocol import TranscribeOptions


def options_from_header(header: str) -> TranscribeOptions:
    options, diarization = invocation_options_from_header(header)
    assert diarization is None
    return options


def options_from_json(raw) -> TranscribeOptions:
    options, diarization = invocation_options_from_json(raw)
    assert diarization is None
    return options


def test_defaults():
    assert options_from_header("") == TranscribeOptions()
    assert options_from_json(None) == TranscribeOptions()


def test_all_options_with_url_encoded_prompt():
    header = "language=fr;task=translate;temperature=0.4;word_timestamps=true;prompt=Caf%C3%A9%3B%20a%3Db"
    assert options_from_header(header) == TranscribeOptions(
        language="fr", task="translate", prompt="Café; a=b", temperature=0.4, word_timestamps=True
    )


def test_separators_spaces_and_case():
    assert parse_custom_attributes(" language = EN ;; Task=Transcribe ;") == {"language": "EN", "Task": "Transcribe"}
    options = options_from_header(" language = EN ;; Task=Transcribe ;")
    assert options.language == "en" and options.task == "transcribe"


@pytest.mark.parametrize("value", ["auto", "", "detect"])
def test_language_auto_means_detect(value):
    assert options_from_header(f"language={value}").language is None


def test_granularity_word_turns_on_word_timestamps():
    assert options_from_header("granularity=segment%2Cword").word_timestamps is True
    assert options_from_json({"timestamp_granularities": ["segment"]}).word_timestamps is False
    assert options_from_json({"timestamp_granularities": ["word"]}).word_timestamps is True


def test_json_accepts_camel_case_and_native_types():
    options = options_from_json({"wordTimestamps": True, "temperature": 1, "language": "yue", "prompt": "  Names  "})
    assert options == TranscribeOptions(language="yue", prompt="Names", temperature=1.0, word_timestamps=True)


@pytest.mark.parametrize(
    "raw",
    [
        {"temperature": True},
        {"temperature": float("nan")},
        {"temperature": -0.1},
        {"language": 12},
        {"language": "english"},
        {"prompt": ["a"]},
        {"prompt": "x" * 5000},
        {"word_timestamps": "sometimes"},
        {"granularity": ["word", "paragraph"]},
        {"unknown": 1},
    ],
)
def test_invalid_json_options(raw):
    with pytest.raises(ProblemError) as caught:
        options_from_json(raw)
    assert caught.value.code == "INVALID_OPTION" and caught.value.status == 400


# ---- diarization options (app/diarization_options.py) ----


def test_diarization_is_off_unless_asked():
    assert invocation_options_from_header("language=en") == (TranscribeOptions(language="en"), None)
    assert invocation_options_from_json({"diarize": False}) == (TranscribeOptions(), None)
    assert invocation_options_from_json({"known_speakers": []}) == (TranscribeOptions(), None)
    with pytest.raises(ProblemError) as caught:
        invocation_options_from_json({"diarize": False, "known_speakers": [{"name": "Ann", "audio_base64": "UklGRg=="}]})
    assert caught.value.extensions["option"] == "known_speakers"


def test_diarization_options_in_the_header_and_in_json_with_aliases():
    options, ask = invocation_options_from_header("diarize=true;min_speakers=2;max-speakers=4;word_timestamps=false")
    assert options == TranscribeOptions() and ask == DiarizationAsk(min_speakers=2, max_speakers=4)
    _, ask = invocation_options_from_json({"diarize": "true", "numSpeakers": 3.0})
    assert ask == DiarizationAsk(speakers=3)


def test_known_speakers_alone_turn_diarization_on():
    _, ask = invocation_options_from_json({"known_speakers": [{"name": " Ann ", "audio_base64": "UklGRg=="}]})
    assert ask == DiarizationAsk(known_speakers=(("Ann", b"RIFF"),))


def test_the_unknown_option_message_lists_the_diarization_options():
    with pytest.raises(ProblemError) as caught:
        invocation_options_from_json({"speakers": 2})
    assert "num_speakers" in caught.value.detail and caught.value.extensions["option"] == "speakers"
