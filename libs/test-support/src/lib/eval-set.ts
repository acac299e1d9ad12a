import { readFileSync } from 'node:fs';

import { runPythonScript } from './speech-python';

/** Where one utterance's speech truly starts and ends inside a longer clip (seconds). */
export interface UtteranceTruth {
  readonly id: string;
  readonly start: number;
  readonly end: number;
  readonly reference: string;
}

export interface EvalItem {
  readonly id: string;
  /** 16 kHz mono 16-bit WAV. */
  readonly audio: string;
  readonly duration: number;
  readonly reference: string;
  /** The reference after Whisper's normalizer (what WER is computed on). */
  readonly normalized: string;
  /** concat and long sets: every utterance in the clip, in order. */
  readonly utterances?: readonly UtteranceTruth[];
}

export type EvalSetName = 'short' | 'concat' | 'long';

export interface EvalManifest {
  readonly version: string;
  readonly language: string;
  readonly source: string;
  readonly sets: Record<EvalSetName, readonly EvalItem[]>;
}

/**
 * The evaluation set of real speech for a language (bench/accuracy/build_eval_set.py): built once from the
 * Debian Asterisk prompt packages, cached under .cache/eval/. Takes a few minutes the first time.
 */
export function evalSet(language: 'en' | 'es' | 'fr'): EvalManifest {
  const line = runPythonScript('bench/accuracy/build_eval_set.py', ['--languages', language]).trim().split('\n').pop() ?? '';
  const manifestPath = line.split('\t')[1];
  if (!manifestPath) throw new Error(`build_eval_set.py printed no manifest path: ${line}`);
  return JSON.parse(readFileSync(manifestPath, 'utf8')) as EvalManifest;
}

/** The first clips of a set whose durations add up to at least `seconds`. */
export function firstSeconds(items: readonly EvalItem[], seconds: number): EvalItem[] {
  const picked: EvalItem[] = [];
  let total = 0;
  for (const item of items) {
    if (total >= seconds) break;
    picked.push(item);
    total += item.duration;
  }
  return picked;
}
