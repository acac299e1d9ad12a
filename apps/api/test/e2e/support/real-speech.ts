import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TranscriptionResult, TranscriptSegment } from '@speech/contracts';
import { runPythonScript, type TimedWord } from '@speech/test-support';

import { filePart, postMultipart } from './multipart';
import { createJob, isEnded, waitForJob } from './jobs-client';

/** One transcript as every path reports it: text, word starts, and the wall time it took. */
export interface PathTranscript {
  readonly text: string;
  readonly words: TimedWord[];
  readonly seconds: number;
  /** The language the path reports (detected when none was given). */
  readonly language?: string;
}

export interface DecodeSettings {
  /** ISO 639-1, or 'auto' to let the model detect it. */
  readonly language: string;
  readonly threads: number;
  /** 1 = greedy. */
  readonly beam: number;
}

const wordsOf = (result: TranscriptionResult): TimedWord[] => (result.words ?? []).map((w) => ({ word: w.word, start: w.start }));

/** POST /transcribe (sync) with word timestamps, as a client would; language 'auto' leaves the field out (detect). */
export async function transcribeSync(apiUrl: string, audio: string, language: string): Promise<PathTranscript> {
  const started = performance.now();
  const response = await postMultipart(`${apiUrl}/transcribe`, [
    filePart(audio, 'clip.wav', 'audio/wav'),
    ...(language === 'auto' ? [] : [{ name: 'language', value: language }]),
    { name: 'response_format', value: 'verbose_json' },
    { name: 'word_timestamps', value: 'true' },
    { name: 'timestamp_granularities[]', value: 'word' },
    { name: 'timestamp_granularities[]', value: 'segment' },
  ]);
  if (response.status !== 200) throw new Error(`POST /transcribe answered ${response.status}: ${await response.text()}`);
  const result = (await response.json()) as TranscriptionResult;
  return { text: result.text, words: wordsOf(result), seconds: (performance.now() - started) / 1000, language: result.language };
}

/** The same audio as an async job (cut into windows at silences), waited for and read back as JSON (with its segments). */
export async function transcribeJob(
  apiUrl: string,
  audio: string,
  language: string,
  timeoutMs = 30 * 60_000,
): Promise<PathTranscript & { windows: number; segments: TranscriptSegment[] }> {
  const started = performance.now();
  const accepted = await createJob(apiUrl, audio, { language, word_timestamps: 'true', response_format: 'verbose_json', 'timestamp_granularities[]': 'word,segment' });
  const job = await waitForJob(apiUrl, accepted.id, isEnded, timeoutMs, 500);
  if (job.status !== 'succeeded') throw new Error(`job ended ${job.status}: ${JSON.stringify(job)}`);
  const seconds = (performance.now() - started) / 1000;
  const response = await fetch(`${apiUrl}/api/v1/jobs/${accepted.id}/transcript.json`);
  if (response.status !== 200) throw new Error(`transcript.json answered ${response.status}: ${await response.text()}`);
  const result = (await response.json()) as TranscriptionResult;
  return { text: result.text, words: wordsOf(result), seconds, windows: job.windows.total, segments: result.segments };
}

interface CliToken {
  text: string;
  offsets: { from: number; to: number };
}

/**
 * whisper.cpp's own CLI on the same WAV and settings our worker uses: no temperature fallback (-nf), no
 * previous-text context (-mc 0); greedy is `-bs 1 -bo 1`. Words come from its token offsets (-ojf).
 */
export function transcribeWhisperCli(cli: string, model: string, audio: string, settings: DecodeSettings): PathTranscript {
  const dir = mkdtempSync(join(tmpdir(), 'whisper-cli-'));
  try {
    const beamArgs = settings.beam > 1 ? ['-bs', String(settings.beam), '-bo', '1'] : ['-bs', '1', '-bo', '1'];
    const args = ['-m', model, '-f', audio, '-t', String(settings.threads), '-l', settings.language, '-nf', '-mc', '0', '-np', '-ojf', '-of', join(dir, 'out'), ...beamArgs];
    const started = performance.now();
    const done = spawnSync(cli, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const seconds = (performance.now() - started) / 1000;
    if (done.status !== 0) throw new Error(`whisper-cli failed (${done.status}): ${done.stderr.slice(-2000)}`);
    const json = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as { result: { language: string }; transcription: { text: string; tokens: CliToken[] }[] };
    const words: TimedWord[] = [];
    for (const token of json.transcription.flatMap((s) => s.tokens)) {
      if (/^\[_.*_\]$/.test(token.text) || token.text.startsWith('<|')) continue; // special tokens
      const last = words[words.length - 1];
      if (!last || /^\s/.test(token.text)) words.push({ word: token.text, start: token.offsets.from / 1000 });
      else words[words.length - 1] = { word: last.word + token.text, start: last.start };
    }
    const text = json.transcription.map((s) => s.text).join('').trim();
    return { text, words, seconds, language: json.result.language };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The peer: faster-whisper on the CTranslate2 weights, all files in one process (model loaded once). */
export function transcribeFasterWhisper(ct2Dir: string, audios: readonly string[], settings: DecodeSettings): PathTranscript[] {
  const out = runPythonScript(
    'bench/accuracy/run_faster_whisper.py',
    ['--model', ct2Dir, '--threads', String(settings.threads), '--beam', String(settings.beam), ...(settings.language === 'auto' ? [] : ['--language', settings.language])],
    audios.join('\n') + '\n',
    4 * 60 * 60_000,
  );
  return out
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as PathTranscript);
}
