import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import type { Request, Response } from 'express';
import { ANONYMOUS_OWNER } from '../auth/principal';
import { JobEventStream } from './job-event-stream';
import { newJobRecord } from './job-record';

const record = (version: number) => ({
  ...newJobRecord(
    {
      id: 'job_slow_reader',
      options: { task: 'transcribe' as const, temperature: 0, word_timestamps: false, response_format: 'json' as const },
      audio: { filename: 'talk.m4a', bytes: 2048, format: 'm4a' as const },
      callbackUrl: null,
      idempotencyKey: null,
      requestHash: 'hash',
      maxAttempts: 3,
      ownerId: ANONYMOUS_OWNER,
    },
    Date.UTC(2026, 0, 2),
  ),
  version,
});

/** A real HTTP server whose one route is a JobEventStream, and a raw client socket the test can stop reading. */
async function rig(maxUnsentBytes: number) {
  let stream: JobEventStream | undefined;
  let response: Response | undefined;
  const server: Server = createServer((incoming, outgoing) => {
    response = outgoing as unknown as Response;
    Object.assign(outgoing, { status: (code: number) => ((outgoing.statusCode = code), outgoing) });
    stream = new JobEventStream(incoming as Request, response, maxUnsentBytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client: Socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
  let received = '';
  client.setEncoding('utf8');
  client.on('data', (chunk: string) => (received += chunk));
  client.on('error', () => undefined);
  client.write('GET /events HTTP/1.1\r\nHost: localhost\r\n\r\n');
  while (!received.includes('retry: 3000')) await new Promise((resolve) => setTimeout(resolve, 10));
  return {
    stream: () => stream as JobEventStream,
    response: () => response as Response,
    client,
    received: () => received,
    close: () => {
      client.destroy();
      stream?.close();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('JobEventStream buffer bound', () => {
  it('drops a reader that stops reading once 64 KiB are unsent, instead of buffering without end', async () => {
    const limit = 64 * 1024;
    const { stream, response, client, close } = await rig(limit);
    client.pause();
    let version = 0;
    let peakUnsent = 0;
    // Far more than the kernel's socket buffers can absorb (several MiB on loopback).
    while (!stream().closed && version < 200_000) {
      version += 1;
      stream().send('job.updated', record(version));
      peakUnsent = Math.max(peakUnsent, response().writableLength);
      if (version % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(stream().droppedAsSlow).toBe(true);
    expect(peakUnsent).toBeLessThanOrEqual(limit);
    expect(response().destroyed).toBe(true);
    await close();
  });

  it('keeps a reader that keeps up, delivering every event', async () => {
    const { stream, received, close } = await rig(64 * 1024);
    for (let version = 1; version <= 2000; version += 1) {
      stream().send('job.updated', record(version));
      if (version % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    while (!received().includes('"seq":2000')) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(stream().droppedAsSlow).toBe(false);
    expect(stream().closed).toBe(false);
    await close();
  });
});
