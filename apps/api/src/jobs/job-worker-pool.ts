import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { BlobStore } from '../storage/blob-store.port';
import { isStorageFault } from '../storage/faults/storage-faults';
import { JobStore } from '../storage/job-store.port';
import { ClaimedJob } from './claimed-job';
import { JobEventBus } from './job-event-bus';
import { decideCheckFailure, decideFailure, nextPauseMs, ShuttingDown } from './job-failure-policy';
import { claimNext } from './job-lease';
import { jobBlobKeys } from './job-record';
import { JobRunner } from './job-runner';
import { endChanges } from './job-transitions';

const CHECK_MS = 1000;

/**
 * A bounded pool of JOB_WORKERS loops in this process. Each claims a job from the shared store (lease +
 * compare-and-set, so instances never run one job twice), runs it, and writes its end. While a job runs its
 * lease is renewed and its record watched, so a cancel — from this process or another — stops the engine
 * work within about a second. On shutdown running jobs are handed back to the queue. While the store is down the
 * workers log once, back off and keep trying; a running job keeps going as long as its lease could still be valid.
 * What a failed run means for its job is decided in job-failure-policy.ts; this class does the wiring.
 */
@Injectable()
export class JobWorkerPool implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly logger = new Logger('JobWorkerPool');
  private readonly running = new Map<string, AbortController>();
  private loops: Promise<void>[] = [];
  private stopping = false;
  private wakeIdle: Array<() => void> = [];
  private unsubscribe?: () => void;
  private drained?: Promise<void>;
  private storeDownSince: number | null = null;
  private storeBackoffMs = 0;
  /** Pause after a job was interrupted by a storage fault, doubling while they repeat; 0 after a job succeeds. */
  private faultPauseMs = 0;

  constructor(
    private readonly store: JobStore,
    private readonly blobs: BlobStore,
    private readonly bus: JobEventBus,
    private readonly runner: JobRunner,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  onApplicationBootstrap(): void {
    this.unsubscribe = this.bus.subscribe(({ type, record }) => {
      if (type === 'job.created') this.wake();
      if (type === 'job.cancelled') this.running.get(record.id)?.abort(new DomainError('CANCELLED', 'The job was cancelled.'));
    });
    this.loops = Array.from({ length: this.config.jobs.workers }, (_, slot) => this.loop(slot));
    if (this.config.jobs.workers > 0) this.logger.log({ msg: 'job workers started', workers: this.config.jobs.workers, owner: this.owner });
  }

  /**
   * The first step of a drain (lifecycle/graceful-shutdown.ts): no further claims from this moment, running jobs
   * aborted and handed back to the queue. Resolves when every worker loop has ended; idempotent.
   */
  drain(): Promise<void> {
    if (!this.drained) {
      this.stopping = true;
      this.unsubscribe?.();
      this.wake();
      for (const controller of this.running.values()) controller.abort(new ShuttingDown());
      this.drained = Promise.all(this.loops).then(() => undefined);
    }
    return this.drained;
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.drain();
  }

  get runningCount(): number {
    return this.running.size;
  }

  /** A job was created here: idle workers look now instead of at their next poll. */
  wake(): void {
    const waiting = this.wakeIdle;
    this.wakeIdle = [];
    for (const resolve of waiting) resolve();
  }

  private async loop(slot: number): Promise<void> {
    while (!this.stopping) {
      let record;
      try {
        record = await claimNext(this.store, this.bus, this.owner, this.config.jobs);
        this.storeAnswered();
      } catch (error) {
        if (isStorageFault(error)) this.storeFailed(error.message);
        else this.logger.error({ msg: 'claiming a job failed', slot, error: (error as Error).message });
      }
      const claimed = record ? new ClaimedJob(record, this.owner, this.store, this.bus, this.config.jobs.leaseSeconds * 1000) : null;
      if (this.stopping) {
        // Claimed just as the drain began: never started, so straight back to the queue with its attempt.
        if (claimed) await claimed.handBack().catch(() => undefined);
        break;
      }
      if (claimed) {
        await this.execute(claimed);
        // The store answered the claim but failed the job (e.g. S3 down, DynamoDB up): do not spin claiming it again.
        if (this.faultPauseMs > 0 && !this.stopping) await this.idle(this.faultPauseMs);
      } else await this.idle(this.storeBackoffMs);
    }
  }

  /** One log line per outage, not one per poll; the pause between polls doubles while it lasts. */
  private storeFailed(message: string): void {
    this.storeBackoffMs = nextPauseMs(this.storeBackoffMs, this.config.jobs.pollMs);
    if (this.storeDownSince !== null) return;
    this.storeDownSince = Date.now();
    this.logger.error({ msg: 'job store unavailable; workers back off and keep trying', error: message });
  }

  private storeAnswered(): void {
    this.storeBackoffMs = 0;
    if (this.storeDownSince === null) return;
    this.logger.log({ msg: 'job store reachable again', down_ms: Date.now() - this.storeDownSince });
    this.storeDownSince = null;
  }

  private idle(minimumMs = 0): Promise<void> {
    // Jitter keeps several instances from polling the store in lockstep.
    const wait = Math.max(minimumMs, this.config.jobs.pollMs) * (0.75 + Math.random() * 0.5);
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, wait);
      this.wakeIdle.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private async execute(job: ClaimedJob): Promise<void> {
    const controller = new AbortController();
    this.running.set(job.id, controller);
    this.metrics.jobsRunning.set(this.running.size);
    const watch = setInterval(() => {
      job.check().catch((error: unknown) => {
        if (controller.signal.aborted) return;
        const decision = decideCheckFailure(error, job.record.lease?.expiresAt, Date.now());
        if (!decision.keepRunning) controller.abort(decision.abortWith);
      });
    }, CHECK_MS);
    try {
      const result = await this.runner.run(job, controller.signal);
      await this.succeed(job, result.duration);
    } catch (error) {
      await this.settleFailure(job, controller.signal, error);
    } finally {
      clearInterval(watch);
      this.running.delete(job.id);
      this.metrics.jobsRunning.set(this.running.size);
    }
  }

  private async succeed(job: ClaimedJob, audioSeconds: number): Promise<void> {
    const dropAudio = this.config.jobs.deleteAudioOnComplete;
    await job.update(
      (record) => ({
        ...endChanges(record, 'succeeded', null, Date.now(), this.config.jobs),
        audio: { ...record.audio, stored: record.audio.stored && !dropAudio },
        windows: { total: record.windows.total, done: record.windows.total },
      }),
      'job.succeeded',
    );
    this.faultPauseMs = 0;
    this.metrics.jobs.inc({ outcome: 'succeeded' });
    this.metrics.audioSeconds.inc({ engine: this.config.engine.kind }, audioSeconds);
    this.logger.log({ msg: 'job succeeded', job_id: job.id, attempts: job.record.attempts });
    // After the write that says so: a crash in between leaves only blobs that the purge removes.
    await this.blobs.deletePrefix(jobBlobKeys.windowsFolder(job.id)).catch(() => undefined);
    if (dropAudio) await this.blobs.delete(jobBlobKeys.audio(job.id)).catch(() => undefined);
  }

  /** Records what an interrupted or failed run means for the job (decided by decideFailure). */
  private async settleFailure(job: ClaimedJob, signal: AbortSignal, error: unknown): Promise<void> {
    const reason: unknown = signal.aborted ? signal.reason : error;
    const decision = decideFailure(reason, { faultPauseMs: this.faultPauseMs, pollMs: this.config.jobs.pollMs });
    this.faultPauseMs = decision.faultPauseMs;
    const job_id = job.id;
    switch (decision.action) {
      case 'hand-back': {
        const handed_back = await job.handBack().then(() => true, () => false);
        if (decision.cause === 'shutdown') this.logger.log({ msg: 'job handed back to the queue on shutdown', job_id });
        if (decision.cause === 'yielded') {
          this.logger.log({ msg: 'job yielded its worker to another key', job_id, to_owner: decision.toOwner, windows_done: job.record.windows.done });
        }
        if (decision.cause === 'storage-fault') this.logger.warn({ msg: 'job interrupted by a storage fault', job_id, code: decision.code, handed_back });
        return;
      }
      case 'leave':
        this.logger.log({ msg: 'job stopped', job_id, reason: decision.why });
        return;
      case 'fail':
        if (decision.bug !== null) this.logger.error({ msg: 'job failed unexpectedly', job_id, error: decision.bug });
        await job
          .update((record) => endChanges(record, 'failed', decision.error, Date.now(), this.config.jobs), 'job.failed')
          .then(() => this.metrics.jobs.inc({ outcome: 'failed' }))
          .catch((lost: unknown) => this.logger.warn({ msg: 'could not record the failure', job_id, error: (lost as Error).message }));
        this.logger.warn({ msg: 'job failed', job_id, code: decision.error.code, detail: decision.error.message });
        return;
    }
  }
}
