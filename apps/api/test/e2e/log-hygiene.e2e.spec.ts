import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { speechFixture, workspaceRoot } from '@speech/test-support';
import { type ApiProcess, startApi } from './support/api-process';
import { distinctiveSlice, leaksIn } from './support/log-leaks';
import { type Part, postMultipart } from './support/multipart';

/**
 * Everything the API process prints (stdout and stderr, at LOG_LEVEL=debug, the most it ever says) over a session of
 * real requests — transcriptions with API keys, refused uploads, a wrong key, a job and its transcript — must hold no
 * audio bytes, transcript text, prompt, uploaded file name, file content or API key secret.
 */
describe('log hygiene (built API, LOG_LEVEL=debug, API keys required)', () => {
  const nonce = randomBytes(4).toString('hex');
  const names = { wav: `board-meeting-${nonce}.wav`, mp3: `salary-review-${nonce}.mp3`, job: `merger-call-${nonce}.webm`, notes: `notes-${nonce}.mp3` };
  const prompt = `Prompt about project nightingale ${nonce}`;
  const notes = `CONFIDENTIAL NOTES ${nonce}: not audio at all.\n`.repeat(10);
  let dir: string;
  let api: ApiProcess;
  let key: string;
  let logs: string;
  const transcripts: string[] = [];
  const uploads: Buffer[] = [];
  const secrets: Record<string, string | Buffer> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'log-hygiene-'));
    const dataDir = join(dir, 'data');
    key = createApiKey(dataDir);
    api = await startApi({ API_KEYS_REQUIRED: 'true', LOG_LEVEL: 'debug', MAX_AUDIO_SECONDS: '30', JOB_POLL_MS: '100' }, { tmpDir: dir, dataDir });
    await runSession();
    await api.stop();
    logs = api.output.join('\n');
  }, 240_000);

  afterAll(async () => {
    await api?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function runSession(): Promise<void> {
    const speech = speechFixture('The quarterly revenue figures stay confidential until Friday.');
    const bearer = { authorization: `Bearer ${key}` };
    const file = (path: string, filename: string): Part => {
      const value = readFileSync(path);
      uploads.push(value);
      return { name: 'file', value, filename, contentType: 'application/octet-stream' };
    };

    const native = await postMultipart(`${api.url}/transcribe`, [file(speech.wav, names.wav), { name: 'prompt', value: prompt }, { name: 'response_format', value: 'verbose_json' }], bearer);
    expect(native.status).toBe(200);
    const verbose = (await native.json()) as { text: string; segments: Array<{ text: string }> };
    transcripts.push(verbose.text, ...verbose.segments.map((segment) => segment.text));

    const openAi = await postMultipart(`${api.url}/v1/audio/transcriptions`, [file(speech.mp3, names.mp3), { name: 'model', value: 'whisper-1' }], { 'x-api-key': key });
    expect(openAi.status).toBe(200);
    transcripts.push(((await openAi.json()) as { text: string }).text);

    const refused = await postMultipart(`${api.url}/transcribe`, [{ name: 'file', value: Buffer.from(notes), filename: names.notes, contentType: 'audio/mpeg' }], bearer);
    expect(refused.status).toBe(415);

    const wrongSecret = key.slice(0, -8) + 'AAAAAAAA';
    const wrong = await postMultipart(`${api.url}/transcribe`, [file(speech.flac, names.wav)], { authorization: `Bearer ${wrongSecret}` });
    expect(wrong.status).toBe(401);
    secrets['wrong key'] = wrongSecret;

    const created = await postMultipart(`${api.url}/api/v1/jobs`, [file(speech.webm, names.job), { name: 'prompt', value: prompt }], bearer);
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };
    const job = await waitForJobWithKey(id);
    expect(job.status).toBe('succeeded');
    const transcript = await fetch(`${api.url}/api/v1/jobs/${id}/transcript`, { headers: bearer });
    expect(transcript.status).toBe(200);
    transcripts.push(((await transcript.json()) as { text: string }).text);
  }

  async function waitForJobWithKey(id: string): Promise<{ status: string }> {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const job = (await (await fetch(`${api.url}/api/v1/jobs/${id}`, { headers: { authorization: `Bearer ${key}` } })).json()) as { status: string };
      if (['succeeded', 'failed', 'cancelled'].includes(job.status) || Date.now() > deadline) return job;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('logged the session (so the checks below look at something)', () => {
    expect(api.output.filter((line) => line.includes('"msg":"request"')).length).toBeGreaterThanOrEqual(6);
    expect(logs).toContain('"status":401');
  });

  it('never logs audio bytes (hex, base64, latin1 of a 32-byte slice of every upload)', () => {
    const slices = Object.fromEntries(uploads.map((bytes, i) => [`upload ${i}`, distinctiveSlice(bytes)]));
    expect(Object.keys(slices).length).toBe(4);
    expect(leaksIn(logs, slices)).toEqual([]);
  });

  it('never logs transcripts, prompts or the content of a refused file', () => {
    const texts = [...new Set(transcripts.map((text) => text.trim()).filter((text) => text.length >= 4))];
    expect(texts.length).toBeGreaterThan(0);
    expect(leaksIn(logs, Object.fromEntries(texts.map((text, i) => [`transcript ${i}`, text])))).toEqual([]);
    expect(leaksIn(logs, { prompt, 'file content': `CONFIDENTIAL NOTES ${nonce}` })).toEqual([]);
  });

  it('never logs uploaded file names', () => {
    expect(leaksIn(logs, { ...names, nonce })).toEqual([]);
  });

  it('never logs API keys: neither the key, nor its secret, nor a wrong key that was tried', () => {
    const secret = key.split('_').slice(2).join('_');
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(leaksIn(logs, { key, secret, ...secrets })).toEqual([]);
  });
});

/** `npm run apikey -- create` against the store the API will use; the key is the last line on stdout. */
function createApiKey(dataDir: string): string {
  const stdout = execFileSync(
    process.execPath,
    ['scripts/run-ts.mjs', 'apps/api/src/auth/api-key.cli.ts', 'create', '--name', 'log-hygiene', '--scope', 'transcribe', '--scope', 'jobs:read'],
    { cwd: workspaceRoot(), env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? dataDir, JOB_STORE: 'sqlite', DATA_DIR: dataDir }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const key = stdout.trim().split('\n').pop()?.trim() ?? '';
  if (key.length < 20) throw new Error(`apikey create printed no key: ${stdout}`);
  return key;
}
