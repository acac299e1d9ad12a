"""Who spoke when: a numpy port of the API's diarization stage (apps/api/src/diarization), so the GPU box answers
with speaker-labelled segments on the AWS path. tests/test_diarization_parity.py holds it to the TypeScript code."""
