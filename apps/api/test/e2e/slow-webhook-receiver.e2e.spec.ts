import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job, WebhookSecret } from '@speech/contracts';
import { speechFixture } from '@speech/test-support';
import { createKeyWithCli } from '../support/apikey-cli';
import { verifyWebhookSignature } from '../../src/jobs/webhooks/webhook-signature';
import { type ApiProcess, startApi } from './support/api-process';
import { fastJobsModel } from './support/job-fixtures';
import { createJob } from './support/jobs-client';

const DEADLINE_SECONDS = 12;
const BACKOFF_SECONDS = 1;
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** Polls a condition of state the test observes (receivers, the API), never a fixed sleep. */
async function until<T>(look: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await look();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface Hit {
  readonly openedAt: number;
  closedAt?: number;
  body: string;
  readonly headers: Record<string, string | undefined>;
}

/** A real HTTP server on 127.0.0.1 that records each delivery; `trickle` answers 200 and then one byte every 200 ms, forever. */
async function receiver(behaviour: 'trickle' | 'healthy'): Promise<{ server: Server; url: string; hits: Hit[]; responses: Set<ServerResponse> }> {
  const hits: Hit[] = [];
  const responses = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    const hit: Hit = { openedAt: Date.now(), body: '', headers: { timestamp: request.headers['x-webhook-timestamp'] as string, signature: request.headers['x-webhook-signature'] as string } };
    hits.push(hit);
    request.on('data', (chunk: Buffer) => (hit.body += chunk.toString('utf8')));
    response.socket?.on('close', () => (hit.closedAt = Date.now()));
    request.on('end', () => {
      if (behaviour === 'healthy') {
        response.end('ok');
        return;
      }
      responses.add(response);
      response.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => response.write('.'), 200);
      response.on('close', () => {
        clearInterval(timer);
        responses.delete(response);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, responses };
}

/**
 * One tenant's receiver accepts the webhook and then trickles its answer forever. Its delivery is cut at the absolute
 * deadline and retried with back-off, while another tenant's delivery to a healthy receiver arrives on time meanwhile,
 * signed with that tenant's own secret (which the first tenant's secret cannot reproduce).
 */
describe('slow webhook receiver (built API, real receivers)', () => {
  let api: ApiProcess;
  let dataDir: string;
  let slow: Awaited<ReturnType<typeof receiver>>;
  let healthy: Awaited<ReturnType<typeof receiver>>;
  const keys = { a: '', b: '' };

  const getJob = async (id: string, key: string): Promise<Job> => (await (await fetch(`${api.url}/api/v1/jobs/${id}`, { headers: bearer(key) })).json()) as Job;
  const secretOf = async (key: string): Promise<string> =>
    ((await (await fetch(`${api.url}/api/v1/webhooks/secret`, { headers: bearer(key) })).json()) as WebhookSecret).secret;

  beforeAll(async () => {
    [slow, healthy] = await Promise.all([receiver('trickle'), receiver('healthy')]);
    dataDir = mkdtempSync(join(tmpdir(), 'slow-webhook-data-'));
    api = await startApi(
      {
        WHISPER_MODEL: await fastJobsModel(),
        WHISPER_THREADS: '1',
        API_KEYS_REQUIRED: 'true',
        API_KEY_CACHE_SECONDS: '0',
        WEBHOOK_SECRET: 'e2e-webhook-secret-slow-receiver',
        WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
        WEBHOOK_TIMEOUT_SECONDS: String(DEADLINE_SECONDS),
        WEBHOOK_BACKOFF_SECONDS: String(BACKOFF_SECONDS),
        WEBHOOK_MAX_ATTEMPTS: '2',
        JOB_POLL_MS: '200',
      },
      { dataDir },
    );
    const [a, b] = await Promise.all([
      createKeyWithCli({ DATA_DIR: dataDir }, 'tenant a', ['transcribe', 'jobs:read']),
      createKeyWithCli({ DATA_DIR: dataDir }, 'tenant b', ['transcribe', 'jobs:read']),
    ]);
    [keys.a, keys.b] = [a.key, b.key];
  }, 240_000);

  afterAll(async () => {
    await api?.stop();
    for (const target of [slow, healthy]) {
      for (const response of target?.responses ?? []) response.destroy();
      target?.server.closeAllConnections();
      await new Promise((resolve) => target?.server.close(resolve));
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('cuts the trickling receiver at the deadline and retries it, while another delivery arrives on time', async () => {
    const speech = speechFixture('Tell me when it is done.');
    const stalled = await createJob(api.url, speech.wav, { callback_url: `${slow.url}/hooks` }, bearer(keys.a));
    // The slow receiver holds the first delivery open.
    const firstSlow = await until(() => slow.hits[0], 'the delivery to the slow receiver');

    const meanwhile = await createJob(api.url, speech.wav, { callback_url: `${healthy.url}/hooks` }, bearer(keys.b));
    const arrived = await until(() => healthy.hits.find((hit) => hit.body.includes(meanwhile.id)), 'the healthy delivery', 30_000);
    const finished = await until(async () => {
      const job = await getJob(meanwhile.id, keys.b);
      return job.finished_at ? job : undefined;
    }, 'the second job to finish');
    // On time: within a couple of poll rounds of the job's end, and while the slow delivery was still hanging.
    expect(arrived.openedAt - Date.parse(finished.finished_at as string)).toBeLessThan(3000);
    expect(firstSlow.closedAt === undefined || firstSlow.closedAt > arrived.openedAt).toBe(true);
    expect(arrived.openedAt - firstSlow.openedAt).toBeLessThan(DEADLINE_SECONDS * 1000);

    // Signed with tenant B's own secret; tenant A's secret does not verify it.
    const [secretA, secretB] = await Promise.all([secretOf(keys.a), secretOf(keys.b)]);
    expect(secretA).not.toBe(secretB);
    expect(verifyWebhookSignature(secretB, arrived.headers['timestamp'], arrived.body, arrived.headers['signature'])).toBe(true);
    expect(verifyWebhookSignature(secretA, arrived.headers['timestamp'], arrived.body, arrived.headers['signature'])).toBe(false);
    expect(verifyWebhookSignature(secretA, firstSlow.headers['timestamp'], firstSlow.body, firstSlow.headers['signature'])).toBe(true);

    // The trickling answer is cut at the absolute deadline, recorded as a failed attempt, and retried after the back-off.
    const recorded = await until(async () => {
      const job = await getJob(stalled.id, keys.a);
      return job.webhook_deliveries.length >= 2 ? job : undefined;
    }, 'two recorded attempts', 60_000);
    const cutAfter = (firstSlow.closedAt ?? Number.NaN) - firstSlow.openedAt;
    process.stdout.write(
      `slow webhook receiver: healthy delivery ${arrived.openedAt - Date.parse(finished.finished_at as string)} ms after its job ended, ` +
        `${arrived.openedAt - firstSlow.openedAt} ms into the stalled delivery; stalled delivery cut after ${cutAfter} ms (deadline ${DEADLINE_SECONDS * 1000} ms)\n`,
    );
    expect(cutAfter).toBeGreaterThanOrEqual(DEADLINE_SECONDS * 1000 - 500);
    expect(cutAfter).toBeLessThan(DEADLINE_SECONDS * 1000 + 4000);
    expect(recorded.webhook_deliveries.map(({ attempt, ok, status_code }) => ({ attempt, ok, status_code }))).toEqual([
      { attempt: 1, ok: false, status_code: null },
      { attempt: 2, ok: false, status_code: null },
    ]);
    expect(recorded.webhook_deliveries[0]?.error).toMatch(new RegExp(`no answer within ${DEADLINE_SECONDS * 1000} ms`));
    const secondSlow = slow.hits[1] as Hit;
    expect(secondSlow.openedAt - (firstSlow.closedAt as number)).toBeGreaterThanOrEqual(BACKOFF_SECONDS * 1000 * 0.8);
    // The healthy receiver got exactly its one delivery.
    expect(healthy.hits.filter((hit) => hit.body.includes(meanwhile.id))).toHaveLength(1);
  }, 180_000);
});
