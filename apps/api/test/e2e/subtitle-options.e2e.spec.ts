import type { Job, TranscriptionResult } from '@speech/contracts';
import { type AudioFixture, longSpeechFixture, realModel, realModels } from '@speech/test-support';
import { formatSrt, resolveSubtitleRules, validateSubtitles } from '@speech/transcript-formats';
import { type ApiProcess, startApi } from './support/api-process';
import { createJob, isEnded, waitForJob } from './support/jobs-client';
import { filePart, postMultipart } from './support/multipart';

/**
 * Subtitle options (max_line_width, max_line_count, max_cue_duration, min_cue_gap, highlight_words) on the built
 * API with real tiny.en weights: on /transcribe, /v1/audio/transcriptions and jobs; invalid values are 400s.
 */
describe('subtitle options (built API, local engine, tiny.en)', () => {
  let api: ApiProcess;
  let passage: AudioFixture;

  beforeAll(async () => {
    passage = longSpeechFixture();
    api = await startApi({ WHISPER_MODEL: realModel(realModels(), 'tiny.en', 'ggml'), WHISPER_THREADS: '2', JOB_POLL_MS: '200' });
  }, 20 * 60_000);

  afterAll(async () => api?.stop());

  const post = (path: string, fields: Record<string, string>) =>
    postMultipart(`${api.url}${path}`, [filePart(passage.wav, 'passage.wav', 'audio/wav'), ...Object.entries(fields).map(([name, value]) => ({ name, value }))]);
  const text = async (path: string, fields: Record<string, string>) => {
    const response = await post(path, fields);
    expect(response.status).toBe(200);
    return response.text();
  };
  const lines = (file: string) => file.split('\n').filter((line) => line && !/^\d+$/.test(line) && !line.includes('-->') && line !== 'WEBVTT');

  it('/transcribe: max_line_width changes the SRT, which then obeys the rules and equals the shared formatter on the JSON result', async () => {
    const plain = await text('/transcribe', { language: 'en', response_format: 'srt' });
    const narrow = await text('/transcribe', { language: 'en', response_format: 'srt', max_line_width: '20' });
    const result = JSON.parse(await text('/transcribe', { language: 'en', response_format: 'json', word_timestamps: 'true' })) as TranscriptionResult;

    expect(Math.max(...lines(plain).map((line) => line.length))).toBeGreaterThan(20);
    expect(narrow).not.toBe(plain);
    expect(validateSubtitles(narrow, 'srt', resolveSubtitleRules({ maxLineWidth: 20 }))).toEqual([]);
    // What the console does with a result it holds: the same bytes as the API's answer.
    expect(formatSrt(result, { maxLineWidth: 20 })).toBe(narrow);
    // Without options, still one cue per segment, as before.
    expect(formatSrt(result)).toBe(plain);
  });

  it('/v1/audio/transcriptions takes them as extra form fields (karaoke VTT)', async () => {
    const vtt = await text('/v1/audio/transcriptions', { model: 'whisper-1', response_format: 'vtt', max_line_width: '24', max_line_count: '1', highlight_words: 'true' });
    expect(vtt.startsWith('WEBVTT\n\n')).toBe(true);
    expect(vtt).toMatch(/<\d\d:\d\d:\d\d\.\d{3}><c>\S+<\/c>/);
    expect(validateSubtitles(vtt, 'vtt', resolveSubtitleRules({ maxLineWidth: 24, maxLineCount: 1, highlightWords: true }))).toEqual([]);
  });

  it('jobs keep them in their options and apply them to the SRT/VTT files', async () => {
    const accepted = await createJob(api.url, passage.wav, { language: 'en', response_format: 'srt', max_line_width: '20', max_cue_duration: '3' });
    expect(accepted.options).toMatchObject({ max_line_width: 20, max_cue_duration: 3, word_timestamps: true });
    const job: Job = await waitForJob(api.url, accepted.id, isEnded, 10 * 60_000, 300);
    expect(job.status).toBe('succeeded');
    const rules = resolveSubtitleRules({ maxLineWidth: 20, maxCueDuration: 3 });
    const srt = await (await fetch(`${api.url}/api/v1/jobs/${job.id}/transcript.srt`)).text();
    expect(validateSubtitles(srt, 'srt', rules)).toEqual([]);
    const vtt = await (await fetch(`${api.url}/api/v1/jobs/${job.id}/transcript.vtt`)).text();
    expect(validateSubtitles(vtt, 'vtt', rules)).toEqual([]);
    const result = (await (await fetch(`${api.url}/api/v1/jobs/${job.id}/transcript.json`)).json()) as TranscriptionResult;
    expect(srt).toBe(formatSrt(result, { maxLineWidth: 20, maxCueDuration: 3 }));
  });

  it.each([
    ['/transcribe', 'max_line_width', '5'],
    ['/v1/audio/transcriptions', 'max_cue_duration', 'long'],
    ['/api/v1/jobs', 'highlight_words', 'maybe'],
  ])('%s refuses %s=%s with 400 INVALID_SUBTITLE_OPTION', async (path, field, value) => {
    const response = await post(path, { model: 'whisper-1', response_format: 'srt', [field]: value });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { code?: string; param?: string; error?: { code: string; param: string } };
    const error = body.error ?? body;
    expect(error).toMatchObject({ code: 'INVALID_SUBTITLE_OPTION', param: field });
  });
});
