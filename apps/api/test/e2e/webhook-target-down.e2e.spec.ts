import { createServer, type Server } from 'node:http';
import type { JobWebhookPayload } from '@speech/contracts';
import { freePort, speechFixture } from '@speech/test-support';
import { ANONYMOUS_OWNER } from '../../src/auth/principal';
import { webhookSecretFor } from '../../src/jobs/webhooks/webhook-secret';
import { verifyWebhookSignature } from '../../src/jobs/webhooks/webhook-signature';
import { type ApiProcess, startApi } from './support/api-process';
import { fastJobsModel } from './support/job-fixtures';
import { createJob, waitForJob } from './support/jobs-client';

const SECRET = 'e2e-webhook-secret-target-down';

/**
 * The callback target is down entirely (nothing listens: connection refused), then comes back: the delivery is
 * retried with back-off, every failed attempt recorded, and the final state arrives once — nothing is lost.
 * (A target answering 500 is covered in jobs-webhooks.e2e.spec.ts.)
 */
describe('webhook target down, then back (built API, real receiver)', () => {
  let api: ApiProcess;
  let receiver: Server | undefined;
  let port: number;
  const received: Array<{ body: string; valid: boolean }> = [];

  beforeAll(async () => {
    port = await freePort();
    api = await startApi({
      WHISPER_MODEL: await fastJobsModel(),
      WHISPER_THREADS: '1',
      WEBHOOK_SECRET: SECRET,
      WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
      WEBHOOK_BACKOFF_SECONDS: '0.5',
      WEBHOOK_MAX_ATTEMPTS: '8',
      JOB_POLL_MS: '200',
    });
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
  });

  it('records connection-refused attempts and delivers once the target listens again', async () => {
    const accepted = await createJob(api.url, speechFixture('Deliver this when you can.').wav, { callback_url: `http://127.0.0.1:${port}/hooks` });
    const failing = await waitForJob(api.url, accepted.id, (job) => job.webhook_deliveries.length >= 2, 60_000);
    expect(failing.status).toBe('succeeded');
    for (const delivery of failing.webhook_deliveries) {
      expect(delivery).toMatchObject({ ok: false, status_code: null, event: 'succeeded' });
      expect(delivery.error).toMatch(/ECONNREFUSED|refused/i);
    }

    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const header = (name: string) => request.headers[name] as string | undefined;
        received.push({ body, valid: verifyWebhookSignature(webhookSecretFor(SECRET, ANONYMOUS_OWNER), header('x-webhook-timestamp'), body, header('x-webhook-signature')) });
        response.end();
      });
    });
    await new Promise<void>((resolve) => receiver?.listen(port, '127.0.0.1', resolve));

    const delivered = await waitForJob(api.url, accepted.id, (job) => job.webhook_deliveries.some((delivery) => delivery.ok), 60_000);
    const attempts = delivered.webhook_deliveries;
    expect(attempts.at(-1)).toMatchObject({ ok: true, status_code: 200, attempt: attempts.length });
    expect(attempts.slice(0, -1).every((delivery) => !delivery.ok && delivery.status_code === null)).toBe(true);
    expect(received).toHaveLength(1);
    expect(received[0]?.valid).toBe(true);
    expect(JSON.parse(received[0]?.body ?? '{}') as JobWebhookPayload).toMatchObject({ type: 'job.succeeded', job: { id: accepted.id, status: 'succeeded' } });
    // No further attempt once one succeeded.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(received).toHaveLength(1);
  }, 120_000);
});
