import { runPythonScript } from './speech-python';

export interface TimedWord {
  readonly word: string;
  readonly start: number;
}

export interface ScoreItem {
  /** Items with the same key are pooled into one corpus WER. */
  readonly key: string;
  readonly reference: string;
  readonly hypothesis: string;
  readonly audio_seconds?: number;
  readonly seconds?: number;
  /** With `words`: utterance-start error of each utterance whose first word was recognized. */
  readonly utterances?: readonly { start: number; reference: string }[];
  readonly words?: readonly TimedWord[];
}

export interface Score {
  /** Percent, on Whisper-normalized text. */
  readonly wer: number;
  readonly sub: number;
  readonly del: number;
  readonly ins: number;
  readonly ref: number;
  readonly audio_seconds: number;
  readonly seconds: number;
  /** Processing time / audio time. */
  readonly rtf: number | null;
  readonly starts: { median: number; p95: number; matched: number; total: number } | null;
}

/** WER (openai-whisper's normalizers + jiwer), real-time factor and utterance-start error, per key. */
export function scoreTranscripts(language: string, items: readonly ScoreItem[]): Record<string, Score> {
  return JSON.parse(runPythonScript('bench/accuracy/score.py', [], JSON.stringify({ language, items }))) as Record<string, Score>;
}
