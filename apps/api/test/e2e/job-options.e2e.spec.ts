import type { Job, TranscriptionResult } from '@speech/contracts';
import { type AudioFixture, realModel, realModels, speechFixture } from '@speech/test-support';
import { type ApiProcess, startApi } from './support/api-process';
import { createJob, isEnded, waitForJob } from './support/jobs-client';
import { filePart, type Part, postMultipart } from './support/multipart';

interface VerboseBody {
  text: string;
  duration: number;
  segments?: unknown[];
  words?: Array<{ word: string; start: number; end: number }>;
}

/**
 * A job keeps every option it was created with, the timestamp granularities included, and its transcript answers
 * exactly as the sync route does for the same fields. Real tiny.en weights, so there are real words to find.
 */
describe('job options end to end (built API, real tiny.en)', () => {
  let api: ApiProcess;
  let speech: AudioFixture;

  beforeAll(async () => {
    speech = speechFixture('Word timestamps survive the trip into a job and back out of it.');
    api = await startApi({ WHISPER_MODEL: realModel(realModels(), 'tiny.en', 'ggml'), WHISPER_THREADS: '1', JOB_POLL_MS: '200' });
  }, 300_000);

  afterAll(async () => api?.stop());

  async function finished(id: string): Promise<Job> {
    const job = await waitForJob(api.url, id, isEnded, 120_000);
    expect(job.status).toBe('succeeded');
    return job;
  }

  async function verbose(path: string): Promise<VerboseBody> {
    const response = await fetch(`${api.url}${path}`);
    expect(response.status).toBe(200);
    return (await response.json()) as VerboseBody;
  }

  function expectWords(body: VerboseBody): void {
    expect(body.words?.length).toBeGreaterThan(3);
    let previous = 0;
    for (const word of body.words ?? []) {
      expect(word.start).toBeGreaterThanOrEqual(previous);
      expect(word.end).toBeGreaterThanOrEqual(word.start);
      expect(word.end).toBeLessThanOrEqual(body.duration);
      previous = word.start;
    }
    expect(body.words?.map((word) => word.word).join(' ').toLowerCase()).toMatch(/word|timestamp|job/);
  }

  it('a job with timestamp_granularities=word keeps it and returns words, as the sync route does', async () => {
    const fields = { language: 'en', response_format: 'verbose_json', timestamp_granularities: 'word' };
    const accepted = await createJob(api.url, speech.wav, fields);
    expect(accepted.options).toEqual({
      task: 'transcribe',
      temperature: 0,
      language: 'en',
      word_timestamps: true,
      response_format: 'verbose_json',
      timestamp_granularities: ['word'],
    });
    const job = await finished(accepted.id);
    expect(job.options.timestamp_granularities).toEqual(['word']);

    const fromJob = await verbose(job.links.transcript);
    expectWords(fromJob);
    // Only words were asked for: no segments, exactly like the sync answer for the same fields.
    expect(fromJob.segments).toBeUndefined();
    const sync = await postMultipart(`${api.url}/transcribe`, [filePart(speech.wav, 'clip.wav'), ...parts(fields)]);
    expect(sync.status).toBe(200);
    const fromSync = (await sync.json()) as VerboseBody;
    expect(Object.keys(fromJob).sort()).toEqual(Object.keys(fromSync).sort());
    expect(fromJob.words?.map((word) => word.word)).toEqual(fromSync.words?.map((word) => word.word));

    // The other downloads carry the words too.
    const json = (await (await fetch(`${api.url}/api/v1/jobs/${job.id}/transcript.json`)).json()) as TranscriptionResult;
    expect(json.words?.length).toBe(fromJob.words?.length);
  }, 180_000);

  it('POST /transcribe?async=true with timestamp_granularities[] (the OpenAI spelling) lists words and segments', async () => {
    const response = await postMultipart(`${api.url}/transcribe?async=true`, [
      filePart(speech.mp3, 'clip.mp3'),
      { name: 'timestamp_granularities[]', value: 'word' },
      { name: 'timestamp_granularities[]', value: 'segment' },
    ]);
    expect(response.status).toBe(202);
    const accepted = (await response.json()) as Job;
    expect(accepted.options).toMatchObject({ word_timestamps: true, timestamp_granularities: ['word', 'segment'], response_format: 'json' });
    const job = await finished(accepted.id);
    const body = await verbose(`/api/v1/jobs/${job.id}/transcript.verbose.json`);
    expectWords(body);
    expect(body.segments?.length).toBeGreaterThan(0);
  }, 180_000);
});

function parts(fields: Record<string, string>): Part[] {
  return Object.entries(fields).map(([name, value]) => ({ name, value }));
}
