import type { TranscriptionResult, TranscriptSegment, TranscriptWord } from '@speech/contracts';

import type { ResultEvent, WorkerToken } from './worker-protocol';

const clamp = (value: number, max: number) => Math.min(Math.max(value, 0), max);
const seconds = (ms: number, max: number) => clamp(Math.round(ms) / 1000, max);

/**
 * Whisper's byte-level tokens carry their leading space: a token that starts with whitespace begins a new
 * word, anything else (word pieces, punctuation) continues the current one. A word's probability is the
 * product of its tokens'.
 */
export function wordsFromTokens(tokens: readonly WorkerToken[], maxSeconds: number): TranscriptWord[] {
  const words: TranscriptWord[] = [];
  let current: { text: string; t0: number; t1: number; p: number } | null = null;
  const flush = () => {
    const word = current?.text.trim();
    if (current && word) {
      const start = seconds(current.t0, maxSeconds);
      words.push({ word, start, end: Math.max(start, seconds(current.t1, maxSeconds)), probability: current.p });
    }
  };
  for (const token of tokens) {
    if (current === null || /^\s/.test(token.text)) {
      flush();
      current = { text: token.text, t0: token.t0_ms, t1: token.t1_ms, p: token.p };
    } else {
      current.text += token.text;
      current.t1 = token.t1_ms;
      current.p *= token.p;
    }
  }
  flush();
  return words;
}

/**
 * Maps the worker's result to the shared contract: seconds, segments in time order, times clamped to the
 * audio (whisper can place the last timestamp past the end of the input), words when they were asked for.
 */
export function toTranscriptionResult(event: ResultEvent, durationSeconds: number, wantWords: boolean): TranscriptionResult {
  const ordered = [...event.segments].sort((a, b) => a.t0_ms - b.t0_ms);
  const allWords: TranscriptWord[] = [];
  const segments: TranscriptSegment[] = ordered.map((s, id) => {
    const start = seconds(s.t0_ms, durationSeconds);
    const segment: TranscriptSegment = {
      id,
      start,
      end: Math.max(start, seconds(s.t1_ms, durationSeconds)),
      text: s.text,
      avg_logprob: s.avg_logprob,
      no_speech_prob: s.no_speech_prob,
    };
    if (wantWords) {
      segment.words = wordsFromTokens(s.tokens ?? [], durationSeconds);
      allWords.push(...segment.words);
    }
    return segment;
  });
  const result: TranscriptionResult = {
    text: segments.map((s) => s.text).join('').trim(),
    language: event.language,
    duration: durationSeconds,
    segments,
  };
  if (wantWords) result.words = allWords;
  return result;
}
