// The VAD stage: speech detection → regions → ≤ 30 s chunks → times mapped back. Wiring notes: apps/api/src/vad/README.md.
export { SpeechDetector, type SpeechFrameScorer, VAD_FRAME_SAMPLES, VAD_SAMPLE_RATE } from './speech-detector.port';
export { SileroOnnxDetector } from './silero-onnx.detector';
export { speechProbabilities, speechProbabilitiesOfFile } from './speech-probabilities';
export { SILERO_REFERENCE_DEFAULTS, type SpeechRegion, type SpeechRegionOptions, speechRegions } from './speech-regions';
export { AUTO_VAD, MAX_CHUNK_SECONDS, parseVadOptions, SERVER_VAD_DEFAULTS, type VadSettings } from './vad-options';
export { type ChunkSpan, chunkAudio, type PackedChunks, packChunks, type SpeechChunk } from './chunk-packer';
export { segmentsToSource, type TimeEdge, toSourceSeconds } from './chunk-timeline';
export { chunksFor, detectSpeech, detectSpeechInFile } from './detect-speech';
