import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { JobWebhookPayload, WebhookSecret } from '@speech/contracts';
import { type AudioFixture, speechFixture } from '@speech/test-support';
import { ANONYMOUS_OWNER } from '../../src/auth/principal';
import { webhookSecretFor } from '../../src/jobs/webhooks/webhook-secret';
import { verifyWebhookSignature } from '../../src/jobs/webhooks/webhook-signature';
import { type ApiProcess, startApi } from './support/api-process';
import { fastJobsModel, loopedRecording } from './support/job-fixtures';
import { createJob, getJob, waitForJob } from './support/jobs-client';

const SECRET = 'e2e-webhook-secret-0123456789';
const BACKOFF_SECONDS = 0.4;

interface Received {
  readonly at: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly validSignature: boolean;
}

/** A receiver as an integrator would write it: verifies every signature, answers what the test scripts. */
class Receiver {
  readonly received: Received[] = [];
  answers: number[] = [];
  /** The owner's signing secret, as GET /api/v1/webhooks/secret hands it out (never the server's WEBHOOK_SECRET). */
  secret = '';
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const header = (name: string) => request.headers[name] as string | undefined;
        const validSignature = verifyWebhookSignature(this.secret, header('x-webhook-timestamp'), body, header('x-webhook-signature'));
        this.received.push({ at: Date.now(), headers: request.headers, body, validSignature });
        response.statusCode = validSignature ? (this.answers.shift() ?? 200) : 401;
        response.end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  async waitFor(count: number, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      if (Date.now() > deadline) throw new Error(`only ${this.received.length} of ${count} deliveries arrived`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Webhooks from the built API to a real HTTP receiver: HMAC signatures, retries with back-off, deliveries on the job. */
describe('job webhooks (built API, real receiver)', () => {
  let api: ApiProcess;
  let speech: AudioFixture;
  const receiver = new Receiver();

  beforeAll(async () => {
    speech = speechFixture('Call me back when the transcript is ready.');
    await receiver.start();
    api = await startApi({
      WHISPER_MODEL: await fastJobsModel(),
      WHISPER_THREADS: '1',
      WEBHOOK_SECRET: SECRET,
      // Tests reach a receiver on loopback, which the default policy refuses.
      WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
      WEBHOOK_BACKOFF_SECONDS: String(BACKOFF_SECONDS),
      WEBHOOK_MAX_ATTEMPTS: '4',
      JOB_POLL_MS: '200',
    });
    const answer = await fetch(`${api.url}/api/v1/webhooks/secret`);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const handedOut = (await answer.json()) as WebhookSecret;
    expect(handedOut).toMatchObject({ owner_id: ANONYMOUS_OWNER, secret: webhookSecretFor(SECRET, ANONYMOUS_OWNER), signature_header: 'x-webhook-signature' });
    receiver.secret = handedOut.secret;
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await receiver.stop();
  });

  it('signs the final state, retries with exponential back-off after 500s, and records every attempt on the job', async () => {
    receiver.received.length = 0;
    receiver.answers = [500, 500, 200];
    const accepted = await createJob(api.url, speech.wav, { callback_url: `${receiver.url}/hooks/transcripts?tenant=7` });
    expect(accepted.callback_url).toBe(`${receiver.url}/hooks/transcripts?tenant=7`);
    await receiver.waitFor(3);
    await new Promise((resolve) => setTimeout(resolve, BACKOFF_SECONDS * 8 * 1000)); // would-be 4th attempt time
    expect(receiver.received).toHaveLength(3);
    expect(receiver.received.every((delivery) => delivery.validSignature)).toBe(true);
    const ids = new Set(receiver.received.map((delivery) => delivery.headers['x-webhook-id']));
    expect(ids.size).toBe(1);
    const payload = JSON.parse(receiver.received[2]?.body ?? '{}') as JobWebhookPayload;
    expect(payload).toMatchObject({ type: 'job.succeeded', job: { id: accepted.id, status: 'succeeded', progress: 1 } });
    expect(payload.job.webhook_deliveries.map((delivery) => delivery.status_code)).toEqual([500, 500]);
    const gaps = receiver.received.slice(1).map((delivery, i) => (delivery.at - (receiver.received[i] as Received).at) / 1000);
    expect(gaps[0]).toBeGreaterThanOrEqual(BACKOFF_SECONDS * 0.9);
    expect(gaps[1]).toBeGreaterThanOrEqual(BACKOFF_SECONDS * 2 * 0.9);

    const job = await waitForJob(api.url, accepted.id, (current) => current.webhook_deliveries.length === 3, 5000);
    expect(job.webhook_deliveries.map(({ attempt, status_code, ok, event }) => ({ attempt, status_code, ok, event }))).toEqual([
      { attempt: 1, status_code: 500, ok: false, event: 'succeeded' },
      { attempt: 2, status_code: 500, ok: false, event: 'succeeded' },
      { attempt: 3, status_code: 200, ok: true, event: 'succeeded' },
    ]);
    expect(job.webhook_deliveries[0]?.error).toMatch(/answered 500/);
  }, 60_000);

  it('gives up after WEBHOOK_MAX_ATTEMPTS', async () => {
    receiver.received.length = 0;
    receiver.answers = [503, 503, 503, 503, 503];
    const accepted = await createJob(api.url, speech.mp3, { callback_url: `${receiver.url}/hooks` });
    await receiver.waitFor(4);
    await new Promise((resolve) => setTimeout(resolve, BACKOFF_SECONDS * 16 * 1000));
    expect(receiver.received).toHaveLength(4);
    const job = await getJob(api.url, accepted.id);
    expect(job.webhook_deliveries.map((delivery) => [delivery.attempt, delivery.ok])).toEqual([[1, false], [2, false], [3, false], [4, false]]);
  }, 60_000);

  it('notifies failed and cancelled jobs too', async () => {
    receiver.received.length = 0;
    receiver.answers = [];
    const broken = join(api.tmpDir, 'broken.mp3');
    writeFileSync(broken, readFileSync(speech.mp3).subarray(0, 300));
    const failing = await createJob(api.url, broken, { callback_url: `${receiver.url}/hooks` });
    await receiver.waitFor(1);
    expect(JSON.parse(receiver.received[0]?.body ?? '{}')).toMatchObject({
      type: 'job.failed',
      job: { id: failing.id, status: 'failed', error: { code: 'UNDECODABLE_AUDIO' } },
    });

    const long = await createJob(api.url, loopedRecording(10), { callback_url: `${receiver.url}/hooks` });
    await waitForJob(api.url, long.id, (job) => job.status === 'running', 30_000, 50);
    expect((await fetch(`${api.url}/api/v1/jobs/${long.id}`, { method: 'DELETE' })).status).toBe(200);
    await receiver.waitFor(2);
    expect(JSON.parse(receiver.received[1]?.body ?? '{}')).toMatchObject({
      type: 'job.cancelled',
      job: { id: long.id, status: 'cancelled', error: { code: 'CANCELLED' } },
    });
    expect(receiver.received.every((delivery) => delivery.validSignature)).toBe(true);
  }, 60_000);
});
