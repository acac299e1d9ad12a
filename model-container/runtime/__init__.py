"""Model code behind the `SpeechRuntime` protocol. Nothing here imports the HTTP layer."""
