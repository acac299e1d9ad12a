import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ANONYMOUS_OWNER } from '../auth/principal';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { JobStore, type JobRecord } from '../storage/job-store.port';
import { eventTypeFor, JobEventBus } from './job-event-bus';
import { JobEventStream } from './job-event-stream';
import { JobsService } from './jobs.service';

/** Changes made by other API processes arrive by polling the shared store this often. */
const JOB_POLL_MS = 1000;
const LIST_POLL_MS = 2000;
const LIST_POLL_PAGE = 50;
/** Retry-After of a refused stream: long enough for another tab to close, about EventSource's own pace. */
const STREAM_RETRY_AFTER_SECONDS = 10;

/**
 * The SSE endpoints: one job's changes, or every job's. Open streams are capped per API key and per process
 * (EVENT_STREAMS_PER_KEY, EVENT_STREAMS_MAX): each holds a connection, timers and store polling, so an uncapped
 * client could exhaust them for everyone. Beyond a cap: 429 TOO_MANY_STREAMS with Retry-After, before any store work.
 */
@Injectable()
export class JobEventStreams implements BeforeApplicationShutdown {
  private readonly logger = new Logger('JobEventStreams');
  private readonly open = new Set<JobEventStream>();
  /** Streams admitted (open, or opening), per caller key and in all. */
  private readonly perKey = new Map<string, number>();
  private admitted = 0;
  /** Set by closeAll(): a stream whose request was admitted before the drain but opens after it ends at once. */
  private closing = false;

  constructor(
    private readonly jobs: JobsService,
    private readonly store: JobStore,
    private readonly bus: JobEventBus,
    private readonly config: AppConfig,
  ) {}

  /** Streams open now (for tests and metrics). */
  get openCount(): number {
    return this.admitted;
  }

  /**
   * First event: the job as it is now; then each change. Answers 404 (before streaming) for an unknown job or one
   * `owner` may not see (undefined: every owner).
   */
  async streamJob(id: string, owner: string | undefined, request: Request, response: Response): Promise<void> {
    const release = this.admit(request);
    const initial = await this.jobs.get(id, owner).catch((error: unknown) => {
      release();
      throw error;
    });
    const stream = this.track(new JobEventStream(request, response), release, request);
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
    const release = this.admit(request);
    const baseline = await this.store.list(query).catch((error: unknown) => {
      release();
      throw error;
    });
    const stream = this.track(new JobEventStream(request, response), release, request);
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
   * Called when the drain begins (graceful-shutdown.ts), and again by Nest's hook; idempotent.
   */
  closeAll(): void {
    this.closing = true;
    for (const stream of this.open) stream.close();
  }

  beforeApplicationShutdown(): void {
    this.closeAll();
  }

  /** Takes a place under both caps, or throws 429 TOO_MANY_STREAMS; answers the function that gives it back. */
  private admit(request: Request): () => void {
    const { maxEventStreams, maxEventStreamsPerKey } = this.config.server.edge;
    const key = callerKey(request);
    const held = this.perKey.get(key) ?? 0;
    if (held >= maxEventStreamsPerKey) throw tooManyStreams('key', maxEventStreamsPerKey);
    if (this.admitted >= maxEventStreams) throw tooManyStreams('process', maxEventStreams);
    this.perKey.set(key, held + 1);
    this.admitted += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.admitted -= 1;
      const left = (this.perKey.get(key) ?? 1) - 1;
      if (left > 0) this.perKey.set(key, left);
      else this.perKey.delete(key);
    };
  }

  private track(stream: JobEventStream, release: () => void, request: Request): JobEventStream {
    this.open.add(stream);
    stream.onClose(() => {
      this.open.delete(stream);
      release();
      if (stream.droppedAsSlow) this.logger.warn({ msg: 'event stream dropped: its reader fell behind', key_id: request.principal?.keyId ?? null });
    });
    // Still sends its first event (callers send right after), then ends: the client reconnects to another instance.
    if (this.closing) setImmediate(() => stream.close());
    return stream;
  }
}

/** Whose allowance a stream uses: its API key, or the one shared by every anonymous caller. */
function callerKey(request: Request): string {
  return request.principal?.keyId ?? ANONYMOUS_OWNER;
}

function tooManyStreams(scope: 'key' | 'process', limit: number): DomainError {
  const who = scope === 'key' ? 'this API key has' : 'this server has';
  return new DomainError(
    'TOO_MANY_STREAMS',
    `Too many event streams: ${who} ${limit} open, the most allowed. Close one (another tab or client) or retry in ${STREAM_RETRY_AFTER_SECONDS} s.`,
    { limit, limit_scope: scope },
    STREAM_RETRY_AFTER_SECONDS,
  );
}
