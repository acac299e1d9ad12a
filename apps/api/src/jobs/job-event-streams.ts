import { type BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import type { JobEvent, JobEventType } from '@speech/contracts';
import type { Request, Response } from 'express';
import { JobStore, type JobRecord } from '../storage/job-store.port';
import { eventTypeFor, JobEventBus } from './job-event-bus';
import { toJob } from './job-view';
import { JobsService } from './jobs.service';

const HEARTBEAT_MS = 15_000;
/** Changes made by other API processes arrive by polling the shared store this often. */
const JOB_POLL_MS = 1000;
const LIST_POLL_MS = 2000;
const LIST_POLL_PAGE = 50;
/** Versions remembered per list stream; beyond it the oldest are forgotten (a forgotten job may repeat a state). */
const MAX_TRACKED = 10_000;

/**
 * One text/event-stream connection. Events carry job versions; a version not newer than the last one sent for
 * that job is dropped, so whatever the source (this process's bus, store polling) a client sees each job's
 * states in the order they were written, never an older state after a newer one.
 */
class EventStream {
  private seq = 0;
  private readonly versions = new Map<string, number>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly cleanups: Array<() => void> = [];
  closed = false;

  constructor(request: Request, private readonly response: Response) {
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-cache, no-transform');
    response.setHeader('Connection', 'keep-alive');
    // Proxies (nginx) must pass events through at once.
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();
    response.write('retry: 3000\n\n');
    this.every(HEARTBEAT_MS, () => {
      this.response.write(': keep-alive\n\n');
    });
    request.on('close', () => this.close());
  }

  send(type: JobEventType, record: JobRecord): void {
    if (this.closed) return;
    const known = this.versions.get(record.id) ?? 0;
    if (type !== 'job.deleted' && record.version <= known) return;
    this.remember(record.id, record.version);
    this.seq += 1;
    const event: JobEvent = { type, seq: this.seq, at: new Date().toISOString(), job: toJob(record) };
    this.response.write(`id: ${this.seq}\nevent: job\ndata: ${JSON.stringify(event)}\n\n`);
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
    this.response.end();
  }
}

/** The SSE endpoints: one job's changes, or every job's. */
@Injectable()
export class JobEventStreams implements BeforeApplicationShutdown {
  private readonly open = new Set<EventStream>();
  /** Set by closeAll(): a stream whose request was admitted before the drain but opens after it ends at once. */
  private closing = false;

  constructor(
    private readonly jobs: JobsService,
    private readonly store: JobStore,
    private readonly bus: JobEventBus,
  ) {}

  /**
   * First event: the job as it is now; then each change. Answers 404 (before streaming) for an unknown job or one
   * `owner` may not see (undefined: every owner).
   */
  async streamJob(id: string, owner: string | undefined, request: Request, response: Response): Promise<void> {
    const initial = await this.jobs.get(id, owner);
    const stream = this.track(new EventStream(request, response));
    stream.send(eventTypeFor(initial), initial);
    stream.onClose(
      this.bus.subscribe(({ type, record }) => {
        if (record.id !== id) return;
        stream.send(type, record);
        if (type === 'job.deleted') stream.close();
      }),
    );
    stream.every(JOB_POLL_MS, async () => {
      const current = await this.store.get(id);
      if (current) stream.send(eventTypeFor(current), current);
      else {
        stream.send('job.deleted', initial);
        stream.close();
      }
    });
  }

  /** Changes to any job of `owner` (undefined: every owner) from now on (load the list first, then follow this). */
  async streamAll(owner: string | undefined, request: Request, response: Response): Promise<void> {
    const visible = (record: JobRecord) => owner === undefined || record.ownerId === owner;
    const query = { limit: LIST_POLL_PAGE, ...(owner !== undefined ? { ownerId: owner } : {}) };
    const baseline = await this.store.list(query);
    const stream = this.track(new EventStream(request, response));
    for (const record of baseline.records) stream.remember(record.id, record.version);
    stream.onClose(
      this.bus.subscribe(({ type, record }) => {
        if (visible(record)) stream.send(type, record);
      }),
    );
    stream.every(LIST_POLL_MS, async () => {
      const page = await this.store.list(query);
      // Oldest first, so new jobs arrive in creation order.
      for (const record of [...page.records].reverse()) {
        const created = !stream.knows(record.id) && record.status === 'queued' && record.attempts === 0;
        stream.send(created ? 'job.created' : eventTypeFor(record), record);
      }
    });
  }

  /**
   * Open streams would keep the HTTP server from closing: end them (clients reconnect to another instance).
   * Called when the drain begins (lifecycle/graceful-shutdown.ts), and again by Nest's hook; idempotent.
   */
  closeAll(): void {
    this.closing = true;
    for (const stream of this.open) stream.close();
  }

  beforeApplicationShutdown(): void {
    this.closeAll();
  }

  private track(stream: EventStream): EventStream {
    this.open.add(stream);
    stream.onClose(() => this.open.delete(stream));
    // Still sends its first event (callers send right after), then ends: the client reconnects to another instance.
    if (this.closing) setImmediate(() => stream.close());
    return stream;
  }
}
