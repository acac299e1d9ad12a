import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AudioFixture, speechFixture } from '@speech/test-support';
import { type ApiProcess, startApi } from './support/api-process';
import { fastJobsModel } from './support/job-fixtures';
import { createJob, waitForJob } from './support/jobs-client';
import { filePart, postMultipart } from './support/multipart';

const BACKOFF_SECONDS = 0.3;

function listen(server: Server, host: string, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/**
 * SSRF through redirects, end to end: a receiver that answers a delivery with a redirect to a private address.
 * The built API must not follow it, must record the attempt as failed, and must retry on its back-off schedule.
 */
describe('webhook redirects (built API, real receiver)', () => {
  let api: ApiProcess;
  let speech: AudioFixture;
  const received: Array<{ at: number; path: string }> = [];
  const trapped: string[] = [];
  let answers: Array<{ status: number; location?: string }> = [];
  const receiver = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      received.push({ at: Date.now(), path: request.url ?? '' });
      const answer = answers.shift() ?? { status: 200 };
      if (answer.location) response.setHeader('Location', answer.location);
      response.statusCode = answer.status;
      response.end();
    });
  });
  // Where a followed redirect would land: another loopback address, which the allow list does not open.
  const trap = createServer((request, response) => {
    trapped.push(request.url ?? '');
    response.end();
  });
  let receiverUrl = '';
  let trapUrl = '';

  beforeAll(async () => {
    speech = speechFixture('Redirects are not followed.');
    const port = await listen(receiver, '127.0.0.1');
    await listen(trap, '127.0.0.2', port);
    receiverUrl = `http://127.0.0.1:${port}`;
    trapUrl = `http://127.0.0.2:${port}`;
    api = await startApi({
      WHISPER_MODEL: await fastJobsModel(),
      WHISPER_THREADS: '1',
      WEBHOOK_SECRET: 'e2e-webhook-secret-0123456789',
      WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
      WEBHOOK_BACKOFF_SECONDS: String(BACKOFF_SECONDS),
      WEBHOOK_MAX_ATTEMPTS: '4',
      JOB_POLL_MS: '200',
    });
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await close(receiver);
    await close(trap);
  });

  it('records a 307 and a 302 to a private URL as failed attempts, never follows them, and retries with back-off', async () => {
    answers = [
      { status: 307, location: `${trapUrl}/latest/meta-data/` },
      { status: 302, location: 'http://169.254.169.254/latest/meta-data/' },
      { status: 200 },
    ];
    const accepted = await createJob(api.url, speech.wav, { callback_url: `${receiverUrl}/hooks` });
    const job = await waitForJob(api.url, accepted.id, (current) => current.webhook_deliveries.length === 3, 60_000);

    expect(job.webhook_deliveries.map(({ attempt, status_code, ok }) => ({ attempt, status_code, ok }))).toEqual([
      { attempt: 1, status_code: 307, ok: false },
      { attempt: 2, status_code: 302, ok: false },
      { attempt: 3, status_code: 200, ok: true },
    ]);
    expect(job.webhook_deliveries[0]?.error).toMatch(/answered 307/);
    expect(received.map((delivery) => delivery.path)).toEqual(['/hooks', '/hooks', '/hooks']);
    expect(trapped).toEqual([]);
    // The retries followed the back-off (0.3 s, then 0.6 s), not the Location header.
    const gaps = received.slice(1).map((delivery, i) => (delivery.at - (received[i] as { at: number }).at) / 1000);
    expect(gaps[0]).toBeGreaterThanOrEqual(BACKOFF_SECONDS * 0.9);
    expect(gaps[1]).toBeGreaterThanOrEqual(BACKOFF_SECONDS * 2 * 0.9);
  }, 90_000);

  it('refuses a callback_url on a private address outright when the job is created', async () => {
    // 127.0.0.1 is allow-listed in this process (the receiver); its neighbour 127.0.0.2 is not, however it is spelt.
    const spellings = [`${trapUrl}/x`, 'http://[::ffff:7f00:2]/x', 'http://0x7f.2/x', 'http://2130706434/x', 'http://169.254.169.254/x', 'http://foo.localhost/x'];
    for (const url of spellings) {
      const refused = await postMultipart(`${api.url}/api/v1/jobs`, [filePart(speech.wav, 'a.wav'), { name: 'callback_url', value: url }]);
      expect({ url, status: refused.status, body: (await refused.json()) as unknown }).toMatchObject({ url, status: 400, body: { code: 'CALLBACK_URL_REJECTED' } });
    }
  });
});
