export { DEFAULT_SPEECH_EDGES, fitToSpeech, type SpeechEdgeOptions, type SpeechSpan } from './fit-to-speech';
export { speechEdgesOf } from './speech-edges-of';
