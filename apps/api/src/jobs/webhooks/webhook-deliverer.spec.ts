import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { loadConfig } from '../../config/app-config';
import { JobEventBus } from '../job-event-bus';
import { newJobRecord } from '../job-record';
import { SqliteJobStore } from '../../storage/sqlite/sqlite-job-store';
import { CallbackUrlPolicy } from './callback-url-policy';
import { WebhookDeliverer } from './webhook-deliverer';

beforeAll(() => Logger.overrideLogger(false));

/** A loopback receiver: `trickle` answers 200 and then a byte every 100 ms forever; `healthy` answers at once. */
async function receiver(behaviour: 'trickle' | 'healthy') {
  const opened: number[] = [];
  const open = new Set<ServerResponse>();
  const server: Server = createServer((request, response) => {
    opened.push(Date.now());
    request.resume();
    request.on('end', () => {
      if (behaviour === 'healthy') return void response.end();
      open.add(response);
      response.writeHead(200);
      const timer = setInterval(() => response.write('.'), 100);
      response.on('close', () => {
        clearInterval(timer);
        open.delete(response);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, opened, open, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('WebhookDeliverer (real SQLite store, real loopback receivers)', () => {
  let dir: string;
  let store: SqliteJobStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'deliverer-'));
    store = new SqliteJobStore(join(dir, 'jobs.sqlite'));
    await store.init();
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers to a healthy receiver while a trickling one holds its only slot, and cuts that one at the deadline', async () => {
    const slow = await receiver('trickle');
    const healthy = await receiver('healthy');
    try {
      const config = loadConfig({
        WEBHOOK_SECRET: 'unit-test-webhook-secret',
        WEBHOOK_TIMEOUT_SECONDS: '1.5',
        WEBHOOK_CONCURRENCY: '4',
        WEBHOOK_CONCURRENCY_PER_TARGET: '1',
        WEBHOOK_MAX_ATTEMPTS: '3',
      });
      const deliverer = new WebhookDeliverer(store, new JobEventBus(), new CallbackUrlPolicy(['127.0.0.1'], []), config);
      const now = Date.now();
      const ended = (id: string, url: string, dueAt: number) => ({
        ...newJobRecord(
          {
            id,
            ownerId: 'key_a',
            options: { task: 'transcribe', temperature: 0, word_timestamps: false, response_format: 'json' },
            audio: { filename: null, bytes: 1, format: 'wav' },
            callbackUrl: url,
            idempotencyKey: null,
            requestHash: null,
            maxAttempts: 3,
          },
          now - 10_000,
        ),
        status: 'succeeded' as const,
        finishedAt: now - 5000,
        webhook: { deliveries: [], dueAt },
      });
      await store.insert(ended('job_slow_1', `${slow.url}/a`, now - 3000));
      await store.insert(ended('job_slow_2', `${slow.url}/b`, now - 2000));
      await store.insert(ended('job_healthy', `${healthy.url}/c`, now - 1000));

      const started = Date.now();
      await deliverer.deliverDue();
      // The round returned without waiting for any delivery.
      expect(Date.now() - started).toBeLessThan(1000);
      await deliverer.settled();
      const took = Date.now() - started;

      // The healthy receiver got its delivery at once, while the slow one was held open.
      expect(healthy.opened).toHaveLength(1);
      expect((healthy.opened[0] as number) - started).toBeLessThan(1000);
      // One slot per receiver: the second slow delivery was not started but moved behind the others.
      expect(slow.opened).toHaveLength(1);
      const deferred = await store.get('job_slow_2');
      expect(deferred?.webhook.deliveries).toEqual([]);
      expect(deferred?.webhook.dueAt).toBeGreaterThan(started);

      // The trickling answer was cut at the deadline: a failed attempt with its retry scheduled.
      expect(took).toBeGreaterThanOrEqual(1400);
      expect(took).toBeLessThan(5000);
      const cut = await store.get('job_slow_1');
      expect(cut?.webhook.deliveries).toMatchObject([{ attempt: 1, ok: false, status_code: null, error: 'no answer within 1500 ms (connect, headers and body)' }]);
      expect(cut?.webhook.dueAt).toBeGreaterThan(Date.now());
      expect((await store.get('job_healthy'))?.webhook).toMatchObject({ deliveries: [{ attempt: 1, ok: true, status_code: 200 }], dueAt: null });
    } finally {
      for (const target of [slow, healthy]) {
        for (const response of target.open) response.destroy();
        target.server.closeAllConnections();
        await new Promise((resolve) => target.server.close(resolve));
      }
    }
  });
});
