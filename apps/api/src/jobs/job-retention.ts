import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { BlobStore } from '../storage/blob-store.port';
import { JobStore } from '../storage/job-store.port';
import { JobEventBus } from './job-event-bus';
import { jobBlobKeys } from './job-record';

/** First purge shortly after start, so a long-stopped instance catches up without slowing its boot. */
const FIRST_RUN_MS = 5000;

/**
 * Deletes jobs whose retention (RESULT_TTL_HOURS after they ended) has passed: their blobs first, then the
 * record, so nothing is left unreachable. Every instance may run it; each step is idempotent.
 */
@Injectable()
export class JobRetention implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('JobRetention');
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly store: JobStore,
    private readonly blobs: BlobStore,
    private readonly bus: JobEventBus,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(FIRST_RUN_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Purges everything expired at `now`; answers how many jobs went. */
  async purge(now = Date.now()): Promise<number> {
    let purged = 0;
    for (;;) {
      const expired = await this.store.listExpired(now, 100);
      for (const record of expired) {
        await this.blobs.deletePrefix(jobBlobKeys.folder(record.id));
        await this.store.delete(record.id);
        this.bus.publish('job.deleted', record);
        purged += 1;
      }
      if (expired.length < 100) break;
    }
    if (purged > 0) this.logger.log({ msg: 'purged expired jobs', count: purged });
    return purged;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.running = this.purge()
        .catch((error: unknown) => {
          this.logger.error({ msg: 'purge failed', error: (error as Error).message });
          return 0;
        })
        .finally(() => {
          if (this.timer) this.schedule(this.config.jobs.purgeIntervalMinutes * 60_000);
        });
    }, delayMs);
    this.timer.unref();
  }
}
