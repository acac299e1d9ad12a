import type { JobEvent, JobEventType } from '@speech/contracts';
import type { Request, Response } from 'express';
import type { JobRecord } from '../storage/job-store.port';
import { toJob } from './job-view';

const HEARTBEAT_MS = 15_000;
/** Versions remembered per list stream; beyond it the oldest are forgotten (a forgotten job may repeat a state). */
const MAX_TRACKED = 10_000;
/**
 * Bytes a stream may hold unsent (its reader is slower than its events). Past it the stream is dropped: the
 * EventSource reconnects and reloads the list, which is what coalescing would give, and memory stays bounded
 * (streams × this, at most) whatever a reader does.
 */
export const MAX_UNSENT_BYTES = 256 * 1024;

/**
 * One text/event-stream connection. Events carry job versions; a version not newer than the last one sent for
 * that job is dropped, so whatever the source (this process's bus, store polling) a client sees each job's
 * states in the order they were written, never an older state after a newer one.
 */
export class JobEventStream {
  private seq = 0;
  private readonly versions = new Map<string, number>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly cleanups: Array<() => void> = [];
  closed = false;
  /** Set when the stream was dropped because its reader fell behind. */
  droppedAsSlow = false;

  constructor(request: Request, private readonly response: Response, private readonly maxUnsentBytes = MAX_UNSENT_BYTES) {
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-cache, no-transform');
    response.setHeader('Connection', 'keep-alive');
    // Proxies (nginx) must pass events through at once.
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();
    this.write('retry: 3000\n\n');
    this.every(HEARTBEAT_MS, () => this.write(': keep-alive\n\n'));
    request.on('close', () => this.close());
  }

  send(type: JobEventType, record: JobRecord): void {
    if (this.closed) return;
    const known = this.versions.get(record.id) ?? 0;
    if (type !== 'job.deleted' && record.version <= known) return;
    this.remember(record.id, record.version);
    this.seq += 1;
    const event: JobEvent = { type, seq: this.seq, at: new Date().toISOString(), job: toJob(record) };
    this.write(`id: ${this.seq}\nevent: job\ndata: ${JSON.stringify(event)}\n\n`);
  }

  knows(id: string): boolean {
    return this.versions.has(id);
  }

  /** Marks a version as seen without sending it (the client already has it, e.g. from the list it loaded). */
  remember(id: string, version: number): void {
    this.versions.delete(id);
    this.versions.set(id, version);
    if (this.versions.size > MAX_TRACKED) this.versions.delete(this.versions.keys().next().value as string);
  }

  every(ms: number, tick: () => void | Promise<void>): void {
    let busy = false;
    const timer = setInterval(() => {
      if (busy || this.closed) return;
      busy = true;
      Promise.resolve(tick())
        .catch(() => undefined)
        .finally(() => {
          busy = false;
        });
    }, ms);
    this.timers.push(timer);
  }

  onClose(cleanup: () => void): void {
    this.cleanups.push(cleanup);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    for (const cleanup of this.cleanups) cleanup();
    if (this.droppedAsSlow) this.response.destroy();
    else this.response.end();
  }

  private write(text: string): void {
    if (this.closed) return;
    if (this.response.writableLength + Buffer.byteLength(text) > this.maxUnsentBytes) {
      // Destroy rather than end: ending would queue behind the unsent bytes and keep them in memory.
      this.droppedAsSlow = true;
      this.close();
      return;
    }
    this.response.write(text);
  }
}
