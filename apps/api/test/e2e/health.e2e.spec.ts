import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKeyWithCli } from '../support/apikey-cli';
import { type LocalS3, startLocalS3, TEST_CREDENTIALS, TEST_REGION } from '../support/local-s3';
import { type ApiProcess, startApi } from './support/api-process';

const BUCKET = 'health-e2e-secret-bucket-name';
const HEALTH_PER_MINUTE = 400;

/**
 * The public /health is cheap and terse, its detail needs admin, and it has its own rate limit. Cost is measured,
 * not assumed: the blob store (s3rver) sits behind a counting proxy, and the readiness check's S3 listing (prefix
 * `health/`) is counted per burst of probes.
 */
describe('/health (built API, keys required, S3 blob store behind a counting proxy)', () => {
  let api: ApiProcess;
  let s3: LocalS3;
  let proxy: CountingProxy;
  let dataDir: string;
  const keys = { admin: '', reader: '' };

  beforeAll(async () => {
    s3 = await startLocalS3([BUCKET]);
    proxy = await countingProxy(s3.endpoint);
    dataDir = mkdtempSync(join(tmpdir(), 'health-e2e-'));
    api = await startApi(
      {
        API_KEYS_REQUIRED: 'true',
        JOB_WORKERS: '0',
        HEALTH_RATE_LIMIT_PER_IP: String(HEALTH_PER_MINUTE),
        BLOB_STORE: 's3',
        BLOB_BUCKET: BUCKET,
        AWS_ENDPOINT_URL_S3: proxy.url,
        AWS_REGION: TEST_REGION,
        AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      },
      { dataDir },
    );
    [keys.admin, keys.reader] = (
      await Promise.all([createKeyWithCli({ DATA_DIR: dataDir }, 'operator', ['admin']), createKeyWithCli({ DATA_DIR: dataDir }, 'dashboard', ['jobs:read'])])
    ).map((made) => made.key) as [string, string];
  }, 240_000);

  afterAll(async () => {
    await api?.stop();
    await proxy?.close();
    await s3?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('200 probes at once cost at most one readiness check (one S3 listing), not one per probe', async () => {
    // Let the verdict from start-up expire (2 s when ready), so the burst itself has to pay for one check.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const before = proxy.healthListings();
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 200 }, () => fetch(`${api.url}/health`).then((response) => response.status)));
    const elapsedMs = Date.now() - started;
    expect(answers).toEqual(Array(200).fill(200));
    const listings = proxy.healthListings() - before;
    // One check per 2 s window at most (the burst may straddle a window edge).
    expect(listings).toBeGreaterThanOrEqual(1);
    expect(listings).toBeLessThanOrEqual(Math.ceil(elapsedMs / 2000) + 1);
    console.log(`[health] 200 concurrent GET /health in ${elapsedMs} ms → ${listings} S3 health listing(s)`);
  });

  it('answers {"status":"ok"} and nothing else: no paths, versions, adapters or bucket names', async () => {
    const response = await fetch(`${api.url}/health`);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ status: 'ok' });
    for (const secret of [BUCKET, api.tmpDir, 'ffmpeg', 's3', 'sqlite', 'version', 'path']) expect(text).not.toContain(secret);
  });

  it('keeps the detail behind the admin scope: 401 without a key, 403 with a jobs:read key, 200 with admin', async () => {
    for (const path of ['/health/detail', '/health/engine', '/health/storage']) {
      expect({ path, status: (await fetch(`${api.url}${path}`)).status }).toEqual({ path, status: 401 });
      const reader = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${keys.reader}` } });
      expect({ path, status: reader.status, code: ((await reader.json()) as { code: string }).code }).toEqual({ path, status: 403, code: 'FORBIDDEN' });
    }
    const detail = await fetch(`${api.url}/health/detail`, { headers: { authorization: `Bearer ${keys.admin}` } });
    expect(detail.status).toBe(200);
    const body = (await detail.json()) as { status: string; details: Record<string, Record<string, unknown>>; checked_at: string };
    expect(body.status).toBe('ok');
    expect(Object.keys(body.details).sort()).toEqual(['engine', 'ffmpeg', 'storage', 'temp_space', 'vad']);
    expect(body.details['storage']).toMatchObject({ status: 'up', blob_store: 's3' });
    expect(Date.parse(body.checked_at)).toBeGreaterThan(0);
  });

  it('has its own per-address bucket: past it 429 RATE_LIMITED with Retry-After, while /health/live stays 200', async () => {
    const statuses: number[] = [];
    let refusal: Response | undefined;
    for (let index = 0; index < HEALTH_PER_MINUTE && !refusal; index += 20) {
      const batch = await Promise.all(Array.from({ length: 20 }, () => fetch(`${api.url}/health`)));
      statuses.push(...batch.map((response) => response.status));
      refusal = batch.find((response) => response.status === 429);
    }
    expect(refusal).toBeDefined();
    expect(Number(refusal?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refusal?.json()).toMatchObject({ code: 'RATE_LIMITED' });
    const live = await Promise.all(Array.from({ length: 20 }, () => fetch(`${api.url}/health/live`).then((response) => response.status)));
    expect(live).toEqual(Array(20).fill(200));
    // The general per-address limit is a separate bucket: other routes still answer.
    expect((await fetch(`${api.url}/status`, { headers: { authorization: `Bearer ${keys.reader}` } })).status).toBe(200);
  });
});

interface CountingProxy {
  readonly url: string;
  /** S3 ListObjects calls for the readiness check's own prefix (`health/`) so far. */
  healthListings(): number;
  close(): Promise<void>;
}

/** A transparent HTTP proxy in front of s3rver that counts the readiness check's listings. */
async function countingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  let listings = 0;
  const server: Server = createServer((incoming, outgoing) => {
    if (incoming.method === 'GET' && /[?&]prefix=health(%2F|\/)/.test(incoming.url ?? '')) listings += 1;
    const forward = request(
      { host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forward.on('error', () => outgoing.destroy());
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    healthListings: () => listings,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
