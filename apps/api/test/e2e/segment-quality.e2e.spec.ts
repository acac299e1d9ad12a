import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SegmentFlag, TranscriptionResult, TranscriptSegment } from '@speech/contracts';
import { realModel, realModels, workspaceRoot } from '@speech/test-support';
import OpenAI from 'openai';

import { type ApiProcess, startApi } from './support/api-process';
import { filePart, postMultipart } from './support/multipart';

/**
 * Per-segment quality on real weights (tiny.en) through the built API: what Whisper writes where nobody speaks is
 * flagged, `hallucination_filter` drops it, and real speech keeps its words. vad=false, so the model does hear the
 * noise (with voice activity detection on, none of it would reach the engine).
 */
const LOGPROB_THRESHOLD = -1;
const RATIO_THRESHOLD = 2.4;
const JFK = join(workspaceRoot(), 'node_modules/nodejs-whisper/cpp/whisper.cpp/bindings/go/samples/jfk.wav');
/** 30 s each, made by ffmpeg's generators: what tiny.en wrote over them was "(wind howling)", "(dramatic music)", "[BLANK_AUDIO]". */
const NON_SPEECH = {
  'pink noise': 'anoisesrc=d=30:c=pink:a=0.3',
  'tremolo tone': 'sine=f=220:d=30,tremolo=f=4:d=0.9',
  'digital silence': 'anullsrc=r=16000:cl=mono,atrim=duration=30',
} as const;

describe('segment quality with real weights (local engine, tiny.en)', () => {
  let api: ApiProcess;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'segment-quality-'));
    for (const [name, source] of Object.entries(NON_SPEECH)) {
      execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', source, '-ar', '16000', '-ac', '1', join(dir, `${slug(name)}.wav`)]);
    }
    api = await startApi({ WHISPER_MODEL: realModel(realModels(), 'tiny.en', 'ggml'), WHISPER_THREADS: '2' });
  }, 30 * 60_000);

  afterAll(async () => {
    await api?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const transcribe = async (file: string, extra: Record<string, string> = {}): Promise<TranscriptionResult> => {
    const response = await postMultipart(`${api.url}/transcribe`, [
      filePart(file, 'clip.wav', 'audio/wav'),
      { name: 'language', value: 'en' },
      { name: 'response_format', value: 'verbose_json' },
      { name: 'vad', value: 'false' },
      ...Object.entries(extra).map(([name, value]) => ({ name, value })),
    ]);
    expect(response.status).toBe(200);
    return (await response.json()) as TranscriptionResult;
  };

  it.each(Object.keys(NON_SPEECH))('flags what the model writes over %s, and hallucination_filter drops it', async (name) => {
    const file = join(dir, `${slug(name)}.wav`);
    const heard = await transcribe(file);
    console.log(`${name}, vad=false: ${JSON.stringify(heard.segments.map((s) => [s.text, s.avg_logprob, s.compression_ratio, s.flags]))}`);
    expect(heard.segments.length).toBeGreaterThan(0); // the model does write something here: what the flags are for
    for (const segment of heard.segments) {
      expectFlagsMatchNumbers(segment);
      expect(segment.flags).toContain('known_hallucination');
    }
    const filtered = await transcribe(file, { hallucination_filter: 'true' });
    expect(filtered.segments).toEqual([]);
    expect(filtered.text).toBe('');
  }, 300_000);

  it('keeps real speech: JFK through the official SDK as verbose_json carries the numbers and no hallucination flag', async () => {
    const client = new OpenAI({ apiKey: 'not-checked-in-local-mode', baseURL: `${api.url}/v1`, maxRetries: 0, timeout: 120_000 });
    const verbose = await client.audio.transcriptions.create({
      file: createReadStream(JFK),
      model: 'whisper-1',
      response_format: 'verbose_json',
      timestamp_granularities: ['segment'],
      // Not OpenAI fields: the SDK passes extra body fields through.
      ...({ vad: 'false', hallucination_filter: 'true' } as object),
    });
    expect(verbose.text).toMatch(/ask not what your country can do for you/i);
    expect(verbose.segments?.length).toBeGreaterThan(0);
    for (const segment of verbose.segments ?? []) {
      expect(typeof segment.compression_ratio).toBe('number');
      expect(typeof segment.avg_logprob).toBe('number');
      expect(typeof segment.no_speech_prob).toBe('number');
      expect(segment.temperature).toBeGreaterThanOrEqual(0);
      expectFlagsMatchNumbers(segment as unknown as TranscriptSegment);
      expect(flagsOf(segment)).not.toContain('known_hallucination');
      expect(flagsOf(segment)).not.toContain('repetition');
    }
  }, 300_000);
});

function flagsOf(segment: object): SegmentFlag[] {
  return (segment as { flags?: SegmentFlag[] }).flags ?? [];
}

/** The flags say what the segment's own numbers say, with the API's default thresholds. */
function expectFlagsMatchNumbers(segment: TranscriptSegment): void {
  const flags = flagsOf(segment);
  expect(flags.includes('low_confidence')).toBe((segment.avg_logprob ?? 0) < LOGPROB_THRESHOLD);
  expect(flags.includes('repetition')).toBe((segment.compression_ratio ?? 0) > RATIO_THRESHOLD);
  expect(flags).not.toContain('outside_speech'); // VAD is off: no speech regions to judge by
}

function slug(name: string): string {
  return name.replace(/\s+/g, '-');
}
