import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AudioFixture, speechFixture } from '@speech/test-support';
import { type ApiProcess, startApi } from './support/api-process';
import { loopedRecording } from './support/job-fixtures';
import { filePart, type Part, postMultipart } from './support/multipart';

const MOUNT_BYTES = 16 * 1024 * 1024;
const BALLAST = 'ballast';

/**
 * A full disk under the API, for real: TMP_DIR and the local blob folder are small tmpfs mounts, filled with ballast
 * until only a little is free. Mounting needs root (as in CI and on these machines); without it the test fails, it is
 * never skipped.
 */
describe('disk full (built API, TMP_DIR and DATA_DIR/blobs on small tmpfs mounts)', () => {
  let root: string;
  let tmpMount: string;
  let blobMount: string;
  let api: ApiProcess;
  let speech: AudioFixture;
  const mounted: string[] = [];

  const freeBytes = (dir: string) => {
    const stats = statfsSync(dir);
    return stats.bavail * stats.bsize;
  };
  /** Leaves about `bytes` free on the mount. */
  const fillLeaving = (dir: string, bytes: number) => {
    rmSync(join(dir, BALLAST), { force: true });
    writeFileSync(join(dir, BALLAST), Buffer.alloc(Math.max(0, freeBytes(dir) - bytes)));
  };
  const empty = (dir: string) => rmSync(join(dir, BALLAST), { force: true });
  const upload = (path: string, parts: Part[]) => postMultipart(`${api.url}${path}`, parts);

  beforeAll(async () => {
    if (process.getuid?.() !== 0) throw new Error('disk-full.e2e needs root to mount tmpfs (CI and the dev machines run as root)');
    speech = speechFixture('Is there room for this one?');
    root = mkdtempSync(join(tmpdir(), 'disk-full-'));
    tmpMount = join(root, 'tmp');
    blobMount = join(root, 'data', 'blobs');
    for (const dir of [tmpMount, blobMount]) {
      mkdirSync(dir, { recursive: true });
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${MOUNT_BYTES},mode=0700`, 'tmpfs', dir]);
      mounted.push(dir);
    }
    api = await startApi(
      // Readiness wants room for two maximum uploads and their decoded audio: 2 × 4 MiB + 60 s × 64 kB < 16 MiB.
      { MAX_FILE_SIZE: String(4 * 1024 * 1024), MAX_AUDIO_SECONDS: '60', JOB_WORKERS: '0' },
      { tmpDir: tmpMount, dataDir: join(root, 'data') },
    );
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    for (const dir of mounted.reverse()) execFileSync('umount', [dir]);
    if (root) rmSync(root, { recursive: true, force: true });
  });

  afterEach(() => {
    for (const dir of mounted) empty(dir);
  });

  it('an upload larger than the free space: 507 INSUFFICIENT_STORAGE, partial file removed, server up, the next small request succeeds', async () => {
    fillLeaving(tmpMount, 1024 * 1024);
    const before = freeBytes(tmpMount);
    // A WAV header first: bytes that are not audio are refused (415) from their first bytes, before they reach the disk.
    const big = { name: 'file', value: Buffer.concat([readFileSync(speech.wav).subarray(0, 44), Buffer.alloc(2 * 1024 * 1024, 7)]), filename: 'big.wav', contentType: 'audio/wav' };
    const response = await upload('/transcribe', [big]);
    expect(response.status).toBe(507);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await response.json()).toMatchObject({ code: 'INSUFFICIENT_STORAGE', status: 507 });
    await until(() => api.leftoverTempEntries().length === 0, 'the partial upload was left in TMP_DIR');
    expect(freeBytes(tmpMount)).toBeGreaterThanOrEqual(before - 64 * 1024);

    expect((await fetch(`${api.url}/health/live`)).status).toBe(200);
    const small = await upload('/transcribe', [filePart(speech.wav, 'clip.wav', 'audio/wav')]);
    expect(small.status).toBe(200);
    expect(await small.json()).toMatchObject({ text: expect.any(String) });
    // The request's folder goes right after the response is sent.
    await until(() => api.leftoverTempEntries().length === 0, 'the small request left its temp folder');
  }, 60_000);

  it('a job whose audio cannot be stored (blob folder full): 507, and no half-created job is left', async () => {
    const recording = loopedRecording(1);
    fillLeaving(blobMount, 64 * 1024);
    expect(statSync(recording).size).toBeGreaterThan(128 * 1024);
    const response = await upload('/api/v1/jobs', [filePart(recording, 'minute.webm', 'audio/webm')]);
    expect(response.status).toBe(507);
    expect(await response.json()).toMatchObject({ code: 'INSUFFICIENT_STORAGE' });

    const list = await (await fetch(`${api.url}/api/v1/jobs`)).json();
    expect(list.data).toEqual([]);
    expect(filesUnder(blobMount)).toEqual([BALLAST]);
    await until(() => api.leftoverTempEntries().length === 0, 'the upload was left in TMP_DIR');

    empty(blobMount);
    const accepted = await upload('/api/v1/jobs', [filePart(recording, 'minute.webm', 'audio/webm')]);
    expect(accepted.status).toBe(202);
  }, 60_000);

  it('decoded audio that does not fit in TMP_DIR (ffmpeg hits ENOSPC): 507, and the temp folder is removed', async () => {
    const recording = loopedRecording(1); // about 200 kB of WebM; decoded, 60 s × 64 kB/s = 3.8 MB
    fillLeaving(tmpMount, statSync(recording).size + 512 * 1024);
    const response = await upload('/transcribe', [filePart(recording, 'minute.webm', 'audio/webm')]);
    expect(response.status).toBe(507);
    expect(await response.json()).toMatchObject({ code: 'INSUFFICIENT_STORAGE', detail: expect.stringContaining('decode') });
    await until(() => api.leftoverTempEntries().length === 0, 'the decode output was left in TMP_DIR');
    expect((await fetch(`${api.url}/health/live`)).status).toBe(200);
  }, 60_000);
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
    .sort();
}

async function until(condition: () => boolean, failure: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(failure);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
