/**
 * @jest-environment ./src/vad/testing/onnx-jest-environment.js
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TranscriptionResult } from '@speech/contracts';
import { type EvalItem, evalSet, realModel, realModels } from '@speech/test-support';
import { sileroWeights } from '@speech/test-support';
import { type ApiProcess, startApi } from './support/api-process';
import { filePart, postMultipart } from './support/multipart';
import { createJob, isEnded, waitForJob } from './support/jobs-client';
import { deepestPauseOverlap, type PausedSpeech, pausedSpeech } from './support/paused-speech';

/** 30 s of each kind of non-speech the issue names, made by ffmpeg's own sources (lavfi). */
const NON_SPEECH: Record<string, string> = {
  'digital silence': 'anullsrc=r=16000:cl=mono',
  'white noise': 'anoisesrc=color=white:amplitude=0.3:seed=1:r=16000',
  'pink noise': 'anoisesrc=color=pink:amplitude=0.3:seed=2:r=16000',
  'a steady 440 Hz tone': 'sine=frequency=440:sample_rate=16000',
  'a steady 1 kHz tone': 'sine=frequency=1000:sample_rate=16000',
  'room tone (brown noise and mains hum)': 'anoisesrc=color=brown:amplitude=0.02:seed=3:r=16000[n];sine=frequency=50:sample_rate=16000,volume=0.05[h];[n][h]amix=inputs=2',
};
/**
 * How far a segment may reach into a pause: the regions' 200 ms of padding (auto; kept for soft onsets) plus what
 * Silero's 32 ms frames add before a real onset. Measured 0.338 s at most (a segment starting where its region's
 * padding starts); a segment spoken across a 6 s pause would reach in ≥ 3 s.
 */
const PAUSE_OVERLAP_LIMIT = 0.4;

/**
 * VAD on the built API with real weights (whisper tiny.en, Silero v6.2): non-speech gives no words with default
 * options (what the model writes with vad=false is printed, to show the value), and on speech with long pauses no
 * segment reaches into a pause, on the sync route and as a job whose windows are cut at VAD pauses.
 */
describe('VAD with real weights (built API, whisper tiny.en, Silero v6.2)', () => {
  let api: ApiProcess;
  let dir: string;
  let paused: PausedSpeech;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vad-e2e-'));
    const long = evalSet('en').sets.long[0] as EvalItem;
    paused = pausedSpeech(long, dir, 6, 6);
    api = await startApi({
      WHISPER_MODEL: realModel(realModels(), 'tiny.en', 'ggml'),
      WHISPER_THREADS: '2',
      VAD_MODEL_PATH: sileroWeights(),
      JOB_WORKERS: '1',
      WINDOW_SECONDS: '20',
    });
  }, 10 * 60_000);

  afterAll(async () => {
    await api?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function transcribe(wav: string, fields: Record<string, string> = {}): Promise<TranscriptionResult> {
    const response = await postMultipart(`${api.url}/transcribe`, [
      filePart(wav, 'clip.wav', 'audio/wav'),
      { name: 'language', value: 'en' },
      { name: 'response_format', value: 'verbose_json' },
      { name: 'word_timestamps', value: 'true' },
      ...Object.entries(fields).map(([name, value]) => ({ name, value })),
    ]);
    if (response.status !== 200) throw new Error(`POST /transcribe answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as TranscriptionResult;
  }

  it.each(Object.keys(NON_SPEECH))('gives 0 words for 30 s of %s with default options', async (kind) => {
    const wav = join(dir, `${kind.replace(/\W+/g, '-')}.wav`);
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-filter_complex', `${NON_SPEECH[kind]},atrim=duration=30`, '-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', wav]);
    const result = await transcribe(wav);
    expect(result.duration).toBeCloseTo(30, 1);
    expect({ text: result.text, words: result.words ?? [], segments: result.segments }).toEqual({ text: '', words: [], segments: [] });
    const whole = await transcribe(wav, { vad: 'false' });
    // The value VAD adds: what tiny.en writes over the same audio when it is sent whole (printed, not asserted).
    console.log(`${kind}: with VAD 0 words; with vad=false ${whole.words?.length ?? 0} words: ${JSON.stringify(whole.text)}`);
  });

  it('on speech with 6 s pauses, transcribes every utterance and keeps every segment out of the pauses (sync)', async () => {
    const result = await transcribe(paused.wav);
    reportPauses('sync', result);
    expect(result.text.split(/\s+/).length).toBeGreaterThan(paused.reference.split(/\s+/).length * 0.7);
    for (const segment of result.segments) expect(deepestPauseOverlap(segment, paused.pauses)).toBeLessThan(PAUSE_OVERLAP_LIMIT);
  });

  it('does the same as a job, its 20 s windows cut at VAD pauses', async () => {
    const accepted = await createJob(api.url, paused.wav, { language: 'en', response_format: 'verbose_json' });
    const job = await waitForJob(api.url, accepted.id, isEnded, 5 * 60_000, 500);
    expect(job.status).toBe('succeeded');
    expect(job.windows.total).toBeGreaterThanOrEqual(3);
    const result = (await (await fetch(`${api.url}/api/v1/jobs/${accepted.id}/transcript.json`)).json()) as TranscriptionResult;
    reportPauses('job', result);
    expect(result.text.split(/\s+/).length).toBeGreaterThan(paused.reference.split(/\s+/).length * 0.7);
    for (const segment of result.segments) expect(deepestPauseOverlap(segment, paused.pauses)).toBeLessThan(PAUSE_OVERLAP_LIMIT);
  });

  function reportPauses(path: string, result: TranscriptionResult): void {
    const overlaps = result.segments.map((s) => deepestPauseOverlap(s, paused.pauses));
    console.log(`${path}: ${result.segments.length} segments over ${paused.duration.toFixed(1)} s; deepest reach into a pause ${Math.max(0, ...overlaps).toFixed(3)} s\n${result.text}`);
  }
});
