import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { speechFixture } from '@speech/test-support';
import { locateFfmpeg } from '../../src/audio/ffmpeg-locator';
import { damagedCopy } from '../support/damaged-audio';
import { FifoCanary } from '../support/fifo-canary';
import { movWithExternalDref, type SmugglingPayload, smugglingCorpus } from '../support/smuggling-corpus';
import { type ApiProcess, startApi } from './support/api-process';
import { postMultipart } from './support/multipart';
import { childProcesses } from './support/process-table';

/**
 * The decoder reads only what the sniffer decided. Every container-smuggling payload gets 415 or
 * 422 within 1 s, the canary FIFO it names is never opened, no ffmpeg is left behind, and no answer shows decoder
 * output or a server path. The canary sits in TMP_DIR, one folder above each request's upload, so relative (mov
 * dref) and absolute (playlists, concat lists) references both aim at it.
 */
const CANARY = 'canary.wav';
const ISSUE_BOUND_MS = 1000;

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly ms: number;
  readonly ffmpegLeft: number;
}

async function post(api: ApiProcess, payload: Buffer, filename = 'clip.mp3'): Promise<Answer> {
  const started = performance.now();
  const response = await postMultipart(`${api.url}/transcribe`, [{ name: 'file', value: payload, filename, contentType: 'audio/mpeg' }]);
  const body = (await response.json()) as Record<string, unknown>;
  const ms = performance.now() - started;
  const ffmpegLeft = childProcesses(api.child.pid ?? -1).filter((child) => child.command.startsWith('ffmpeg')).length;
  return { status: response.status, body, ms, ffmpegLeft };
}

describe('decoder lockdown: container-smuggling corpus (built API, real ffmpeg)', () => {
  let api: ApiProcess;
  let canary: FifoCanary;
  let corpus: SmugglingPayload[];
  const answers = new Map<string, Answer>();

  beforeAll(async () => {
    api = await startApi();
    canary = FifoCanary.create(join(api.tmpDir, CANARY));
    const fixture = speechFixture('Testing the audio path of the speech platform.');
    const faststart = join(api.tmpDir, 'faststart.m4a');
    execFileSync(locateFfmpeg().path, ['-hide_banner', '-loglevel', 'error', '-y', '-i', fixture.m4a, '-c', 'copy', '-movflags', '+faststart', faststart]);
    corpus = [...smugglingCorpus(canary.path, 'upload'), movWithExternalDref(readFileSync(faststart), CANARY)];
    // One at a time, so each answer's time is its own.
    for (const payload of corpus) answers.set(payload.name, await post(api, payload.bytes));
  }, 120_000);

  afterAll(async () => {
    await canary?.close();
    await api?.stop();
  });

  it('refuses every payload with 415 or 422 and a stable code, within 1 s, with no ffmpeg left running', () => {
    const summary = [...answers].map(([name, answer]) => `${answer.status} ${String(answer.body['code'])} ${Math.round(answer.ms)} ms  ${name}`);
    process.stdout.write(`smuggling corpus:\n  ${summary.join('\n  ')}\n`);
    expect(answers.size).toBe(corpus.length);
    for (const [name, answer] of answers) {
      const expected = answer.status === 415 ? 'UNSUPPORTED_MEDIA' : 'UNDECODABLE_AUDIO';
      expect({ name, refused: [415, 422].includes(answer.status), code: answer.body['code'] }).toEqual({ name, refused: true, code: expected });
      expect({ name, fast: answer.ms < ISSUE_BOUND_MS, ffmpegLeft: answer.ffmpegLeft }).toEqual({ name, fast: true, ffmpegLeft: 0 });
    }
  });

  it('never opened the canary file the payloads name', async () => {
    expect(await canary.opensSoFar()).toBe(0);
  });

  it('never echoes decoder output or a server path', () => {
    for (const [name, answer] of answers) {
      const text = JSON.stringify(answer.body);
      expect({ name, leaks: /\/tmp\/|file:|@ 0x|\[(error|info|fatal)\]|Invalid data found|ffmpeg|demux/i.test(text) || text.includes(api.tmpDir) }).toEqual({ name, leaks: false });
    }
  });

  it('leaves no request folder behind', () => {
    expect(api.leftoverTempEntries()).toEqual([]);
  });
});

describe('the canary itself (positive control: an unlocked ffmpeg falls for the payloads)', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'canary-control-'));
    mkdirSync(join(dir, 'req'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const unlockedDecode = (path: string, extraInputArgs: string[] = []) => {
    try {
      // The API's old decode: ffmpeg picks the demuxer by probing.
      execFileSync(locateFfmpeg().path, ['-nostdin', '-loglevel', 'quiet', ...extraInputArgs, '-i', path, '-t', '1', '-f', 'null', '-'], { timeout: 5_000, killSignal: 'SIGKILL', stdio: 'ignore' });
    } catch {
      // Whether it then fails does not matter: it has opened the canary or not.
    }
  };

  it('counts no open when nobody reads it', async () => {
    const canary = FifoCanary.create(join(dir, 'untouched.wav'));
    expect(await canary.opensSoFar()).toBe(0);
  });

  it('sees ffmpeg open it through the ID3 + HLS payload when ffmpeg probes the format itself', async () => {
    const canary = FifoCanary.create(join(dir, 'hls-canary.wav'));
    const upload = join(dir, 'req', 'hls');
    writeFileSync(upload, smugglingCorpus(canary.path, 'hls')[0]!.bytes);
    unlockedDecode(upload);
    expect(await canary.opensSoFar()).toBeGreaterThan(0);
  });

  it('sees ffmpeg open it through the M4A data reference when drefs are on', async () => {
    const canary = FifoCanary.create(join(dir, CANARY));
    const faststart = join(dir, 'faststart.m4a');
    execFileSync(locateFfmpeg().path, ['-hide_banner', '-loglevel', 'error', '-y', '-i', speechFixture('Testing the audio path of the speech platform.').m4a, '-c', 'copy', '-movflags', '+faststart', faststart]);
    const upload = join(dir, 'req', 'upload');
    writeFileSync(upload, movWithExternalDref(readFileSync(faststart), CANARY).bytes);
    unlockedDecode(upload, ['-enable_drefs', '1']);
    expect(await canary.opensSoFar()).toBeGreaterThan(0);
  });
});

describe('damaged audio on the wire (built API)', () => {
  let api: ApiProcess;
  const fixture = () => speechFixture('Testing the audio path of the speech platform.');

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => api?.stop());

  it('refuses a FLAC whose body is mostly garbage with 422 UNDECODABLE_AUDIO', async () => {
    const answer = await post(api, damagedCopy(fixture().flac, 0.1, 0.95), 'clip.flac');
    expect({ status: answer.status, code: answer.body['code'] }).toEqual({ status: 422, code: 'UNDECODABLE_AUDIO' });
  });

  it('transcribes a partly damaged MP3 with a warnings field and an X-Audio-Warning header', async () => {
    const bytes = damagedCopy(fixture().mp3, 0.45, 0.6);
    const response = await postMultipart(`${api.url}/transcribe`, [{ name: 'file', value: bytes, filename: 'clip.mp3', contentType: 'audio/mpeg' }]);
    const body = (await response.json()) as { warnings?: Array<Record<string, unknown>> };
    expect(response.status).toBe(200);
    expect(response.headers.get('x-audio-warning')).toBe('AUDIO_PARTLY_DAMAGED');
    expect(body.warnings).toEqual([expect.objectContaining({ code: 'AUDIO_PARTLY_DAMAGED', decoded_seconds: expect.any(Number), decoder_errors: expect.any(Number) })]);
  });
});
