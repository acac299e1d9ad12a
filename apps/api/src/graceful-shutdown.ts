import type { Server } from 'node:http';
import type { INestApplication, LoggerService } from '@nestjs/common';
import { removeOwnWorkspaces } from './common/temp-workspace';
import type { AppConfig } from './config/app-config';
import { JobEventStreams } from './jobs/job-event-streams';
import { JobWorkerPool } from './jobs/job-worker-pool';
import { DrainGate } from './lifecycle/drain-gate';
import { ShutdownState } from './lifecycle/shutdown-state';

/** After the grace period: how long aborted requests get to answer their 503 before connections are cut. */
const ABORT_SETTLE_MS = 10_000;
/** Handing jobs back is a store write or two; a store that is down must not hold the exit. */
const JOB_HAND_BACK_MS = 15_000;
/** Closing stores and stopping the whisper worker after the drain; past this the process gives up (exit 1). */
const CLEANUP_MS = 15_000;
/** Removing the last request folders is a few unlinks; a hung disk must not hold the exit. */
const WORKSPACE_REMOVAL_MS = 2000;
/**
 * While draining, a connection that goes idle is closed this soon after its last response. Not zero: a request the
 * client already sent may still sit unread in the socket (a paused upload stream, a busy event loop); it gets its 503.
 */
const DRAINING_KEEP_ALIVE_MS = 1000;
/**
 * Everything after the grace period (aborted requests answering, job hand-back, clean-up) shares this budget, so
 * the whole sequence ends within SHUTDOWN_GRACE_SECONDS + 18 s: inside the 20 s the infrastructure leaves between
 * the grace and the task's stopTimeout (SIGKILL).
 */
const AFTER_GRACE_BUDGET_MS = 18_000;
const CONTEXT = 'Shutdown';

export type ShutdownSignal = 'SIGTERM' | 'SIGINT';

/**
 * The one shutdown sequence, run on the first SIGTERM or SIGINT (ECS sends SIGTERM, then SIGKILL after the task's
 * stopTimeout). It replaces Nest's enableShutdownHooks, which closes the HTTP server only after the providers'
 * beforeApplicationShutdown hooks and then re-raises the signal (exit 143):
 *
 * 1. drain: /health answers 503, the listening socket closes (new connections are refused), idle keep-alive
 *    connections close, requests arriving on open ones get 503 SHUTTING_DOWN + `Connection: close`;
 *    job workers stop claiming and hand their running jobs back to the queue; SSE streams end;
 * 2. in-flight requests get up to SHUTDOWN_GRACE_SECONDS to finish; past that, synchronous transcriptions are
 *    aborted (engine work cancelled) and answer 503 SHUTTING_DOWN;
 * 3. app.close(): the remaining Nest hooks (webhooks, retention), then the stores and the whisper worker;
 * 4. exit 0. Further signals are logged and change nothing.
 */
export class GracefulShutdown {
  private running?: Promise<number>;

  constructor(
    private readonly app: INestApplication,
    private readonly config: AppConfig,
    private readonly logger: LoggerService,
    private readonly exit: (code: number) => void = (code) => process.exit(code),
  ) {}

  listen(signals: readonly ShutdownSignal[] = ['SIGTERM', 'SIGINT']): void {
    for (const signal of signals) process.on(signal, () => void this.shutdown(signal));
  }

  /** Runs the sequence once; later calls wait for the same run. Resolves with the exit code it used. */
  shutdown(reason: string): Promise<number> {
    if (this.running) {
      this.logger.warn({ msg: 'already shutting down; the clean-up continues', signal: reason }, CONTEXT);
      return this.running;
    }
    this.running = this.sequence(reason).then(
      (code) => {
        this.exit(code);
        return code;
      },
      (error: unknown) => {
        this.logger.error({ msg: 'shutdown failed', error: String((error as Error)?.stack ?? error) }, CONTEXT);
        this.exit(1);
        return 1;
      },
    );
    return this.running;
  }

  private async sequence(reason: string): Promise<number> {
    const startedAt = Date.now();
    const graceMs = this.config.server.shutdownGraceSeconds * 1000;
    const state = this.app.get(ShutdownState);
    const gate = this.app.get(DrainGate);
    const server = this.app.getHttpServer() as Server;

    state.beginDrain(startedAt);
    this.logger.log({ msg: 'draining', signal: reason, in_flight: gate.inFlightCount, grace_seconds: graceMs / 1000 }, CONTEXT);
    const listenerClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    // close() has just closed the idle keep-alive connections. Those still busy close as soon as they go idle
    // (Node applies keepAliveTimeout after each connection's last queued response, so pipelined answers still go out).
    server.keepAliveTimeout = DRAINING_KEEP_ALIVE_MS;
    const jobs = this.app.get(JobWorkerPool, { strict: false }).drain();
    this.app.get(JobEventStreams, { strict: false }).closeAll();

    const hardDeadline = startedAt + graceMs + AFTER_GRACE_BUDGET_MS;
    const budget = (capMs: number) => Math.max(0, Math.min(capMs, hardDeadline - Date.now()));
    if (!(await within(gate.whenIdle(), graceMs))) {
      this.logger.warn({ msg: 'grace period over; aborting requests still in flight', in_flight: gate.inFlightCount }, CONTEXT);
      state.expireGrace();
      await within(gate.whenIdle(), budget(ABORT_SETTLE_MS));
    }
    if (!(await within(jobs, budget(JOB_HAND_BACK_MS)))) {
      this.logger.warn({ msg: 'job workers did not stop in time; their leases will expire and others take the jobs' }, CONTEXT);
    }
    server.closeAllConnections();
    await within(listenerClosed, budget(5000));
    await within(removeOwnWorkspaces(this.config.upload.tmpDir), budget(WORKSPACE_REMOVAL_MS));

    const cleanup = await within(this.app.close(), budget(CLEANUP_MS));
    if (!cleanup) {
      this.logger.error({ msg: 'clean-up (stores, engine) did not finish in time' }, CONTEXT);
      return 1;
    }
    this.logger.log({ msg: 'shutdown complete', ms: Date.now() - startedAt }, CONTEXT);
    return 0;
  }
}

/** True when `work` settled within `ms`. */
async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
