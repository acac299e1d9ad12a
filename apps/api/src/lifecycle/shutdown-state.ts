import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/domain-error';

/** Clients are told to come back at once: another instance answers while this one drains. */
export const SHUTDOWN_RETRY_AFTER_SECONDS = 1;

export function shuttingDown(message = 'This instance is shutting down; retry, and another instance will answer.'): DomainError {
  return new DomainError('SHUTTING_DOWN', message, {}, SHUTDOWN_RETRY_AFTER_SECONDS);
}

/**
 * Where this process stands in its life: serving, or draining after SIGTERM. Read by the drain gate and /health;
 * `graceExpired` is the abort signal in-flight synchronous work listens to once SHUTDOWN_GRACE_SECONDS have passed.
 * Only graceful-shutdown.ts moves it forward.
 */
@Injectable()
export class ShutdownState {
  private drainingSince: number | null = null;
  private readonly grace = new AbortController();

  get draining(): boolean {
    return this.drainingSince !== null;
  }

  /** Epoch ms the drain began; null while serving. */
  get since(): number | null {
    return this.drainingSince;
  }

  get graceExpired(): AbortSignal {
    return this.grace.signal;
  }

  beginDrain(now = Date.now()): void {
    this.drainingSince ??= now;
  }

  expireGrace(): void {
    if (!this.grace.signal.aborted) {
      this.grace.abort(shuttingDown('This instance shut down before the request finished (grace period over); retry it.'));
    }
  }
}
