import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKeyWithCli } from '../support/apikey-cli';
import { type ApiProcess, startApi } from './support/api-process';

interface OpenStream {
  readonly status: number;
  readonly response: Response;
  close(): void;
}

/** Open event streams are capped per key and per process; a refusal is 429 TOO_MANY_STREAMS with Retry-After. */
describe('event stream caps (built API, keys required)', () => {
  let api: ApiProcess;
  let dataDir: string;
  const keys = { a: '', b: '' };
  const streams: OpenStream[] = [];

  const open = async (key: string, path = '/api/v1/jobs/events'): Promise<OpenStream> => {
    const abort = new AbortController();
    const response = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${key}` }, signal: abort.signal });
    const stream = { status: response.status, response, close: () => abort.abort() };
    if (response.status === 200) streams.push(stream);
    return stream;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'stream-caps-'));
    api = await startApi({ API_KEYS_REQUIRED: 'true', JOB_WORKERS: '0', EVENT_STREAMS_PER_KEY: '2', EVENT_STREAMS_MAX: '3' }, { dataDir });
    [keys.a, keys.b] = (
      await Promise.all([createKeyWithCli({ DATA_DIR: dataDir }, 'tenant a', ['jobs:read']), createKeyWithCli({ DATA_DIR: dataDir }, 'tenant b', ['jobs:read'])])
    ).map((made) => made.key) as [string, string];
  }, 240_000);

  afterAll(async () => {
    for (const stream of streams) stream.close();
    await api?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a key its third stream, then the process its fourth, each with a stable code and Retry-After', async () => {
    expect((await open(keys.a)).status).toBe(200);
    expect((await open(keys.a)).status).toBe(200);
    const perKey = await open(keys.a);
    expect(perKey.status).toBe(429);
    expect(Number(perKey.response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await perKey.response.json()).toMatchObject({ code: 'TOO_MANY_STREAMS', limit: 2, limit_scope: 'key' });

    expect((await open(keys.b)).status).toBe(200);
    const perProcess = await open(keys.b);
    expect(perProcess.status).toBe(429);
    expect(await perProcess.response.json()).toMatchObject({ code: 'TOO_MANY_STREAMS', limit: 3, limit_scope: 'process' });
  });

  it('gives the place back when a client disconnects', async () => {
    const first = streams.shift() as OpenStream;
    first.close();
    const deadline = Date.now() + 10_000;
    let status = 0;
    while (status !== 200 && Date.now() < deadline) {
      const again = await open(keys.a);
      status = again.status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(200);
  });

  it('counts a refused single-job stream too: the cap is checked before the job lookup', async () => {
    const refused = await open(keys.a, '/api/v1/jobs/job_does_not_exist/events');
    expect(refused.status).toBe(429);
    expect(await refused.response.json()).toMatchObject({ code: 'TOO_MANY_STREAMS' });
  });
});
