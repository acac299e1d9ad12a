"""One typed settings object from the environment, SageMaker's variable names honoured."""
import pytest

from settings import Settings, SettingsError


def test_defaults_match_the_sagemaker_contract():
    settings = Settings.from_env({})
    assert settings.port == 8080 and settings.workers == 1 and settings.runtime == "transformers"
    assert settings.sagemaker_model_dir == "/opt/ml/model"
    assert settings.shutdown_grace_s < 30


def test_sagemaker_variables():
    settings = Settings.from_env(
        {"SAGEMAKER_BIND_TO_PORT": "9000", "SAGEMAKER_MODEL_SERVER_WORKERS": "2", "SAGEMAKER_MODEL_SERVER_TIMEOUT": "120"}
    )
    assert (settings.port, settings.workers, settings.inference_timeout_s) == (9000, 2, 120.0)
    assert Settings.from_env({"SAGEMAKER_MODEL_SERVER_TIMEOUT": "120", "INFERENCE_TIMEOUT_S": "30"}).inference_timeout_s == 30


def test_model_and_runtime_settings():
    settings = Settings.from_env(
        {"RUNTIME": "fake", "MODEL_ID": "openai/whisper-large-v3-turbo", "TRANSLATION_MODEL_ID": "openai/whisper-large-v3",
         "DEVICE": "CPU", "BATCH_SIZE": "16", "SEGMENT_TIMESTAMPS": "false", "ALLOW_UNTRAINED_TRANSLATION": "yes"}
    )  # fmt: skip
    assert settings.runtime == "fake" and settings.device == "cpu" and settings.batch_size == 16
    assert settings.model_id == "openai/whisper-large-v3-turbo" and settings.translation_model_id == "openai/whisper-large-v3"
    assert settings.segment_timestamps is False and settings.allow_untrained_translation is True


def test_every_problem_is_reported_at_once():
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({"RUNTIME": "onnx", "SAGEMAKER_BIND_TO_PORT": "http", "BATCH_SIZE": "0", "SEGMENT_TIMESTAMPS": "sure"})
    assert len(caught.value.problems) == 4
    assert any("RUNTIME" in p for p in caught.value.problems)


def test_speaker_model_settings():
    settings = Settings.from_env({"SPEAKER_MODEL_PATH": "/models/campplus-3dspeaker.onnx", "SPEAKER_THREADS": "2"})
    assert settings.speaker_model_path == "/models/campplus-3dspeaker.onnx" and settings.speaker_threads == 2
    assert Settings.from_env({}).speaker_model_path is None
    with pytest.raises(SettingsError):
        Settings.from_env({"SPEAKER_THREADS": "0"})
