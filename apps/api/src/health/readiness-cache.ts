import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { type HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { ReadinessIndicators } from './readiness.indicators';

/** A readiness verdict with every check's detail (for admins), and when it was computed. */
export interface Readiness {
  readonly ready: boolean;
  readonly result: HealthCheckResult;
  readonly checkedAt: number;
}

/** A ready verdict is reused this long: whatever the probe rate, the stores see at most one check per window. */
export const READY_TTL_MS = 2000;
/** A not-ready verdict is rechecked sooner, so recovery shows quickly (still bounded: two checks a second). */
export const NOT_READY_TTL_MS = 500;

/**
 * Readiness computed at most once per window and single-flight: concurrent probes share one check in progress.
 * The public /health answers from here, so its cost does not grow with the number of callers.
 */
@Injectable()
export class ReadinessCache {
  private latest?: Readiness;
  private inFlight?: Promise<Readiness>;
  /** The clock; tests move it. */
  now: () => number = Date.now;

  constructor(
    private readonly health: HealthCheckService,
    private readonly readiness: ReadinessIndicators,
  ) {}

  current(): Promise<Readiness> {
    const latest = this.latest;
    if (latest && this.now() - latest.checkedAt < (latest.ready ? READY_TTL_MS : NOT_READY_TTL_MS)) return Promise.resolve(latest);
    this.inFlight ??= this.check().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async check(): Promise<Readiness> {
    let verdict: Readiness;
    try {
      const result = await this.health.check([
        () => this.readiness.engineReady(),
        () => this.readiness.vadReady(),
        () => this.readiness.ffmpegPresent(),
        () => this.readiness.tempSpace(),
        () => this.readiness.storageReady(),
      ]);
      verdict = { ready: true, result, checkedAt: this.now() };
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      verdict = { ready: false, result: error.getResponse() as HealthCheckResult, checkedAt: this.now() };
    }
    this.latest = verdict;
    return verdict;
  }
}
