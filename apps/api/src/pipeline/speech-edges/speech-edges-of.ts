import type { EnabledVad } from '../vad.stage';
import { DEFAULT_SPEECH_EDGES, type SpeechEdgeOptions } from './fit-to-speech';

/** The edge rules for regions found with these VAD settings: their padding is what a first word may not start in. */
export function speechEdgesOf(settings: EnabledVad): SpeechEdgeOptions {
  return { ...DEFAULT_SPEECH_EDGES, padSeconds: settings.regions.speechPadMs / 1000 };
}
