"""Silero VAD weights for `npm run models:vad`: named, pinned by sha256, cached under .cache/models-vad."""
