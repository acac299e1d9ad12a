import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { openAiErrorBody, problemBody } from '../common/error-body';
import { isOpenAiRoute } from '../common/http-error.filter';
import { currentRequestId } from '../common/request-context';
import { SHUTDOWN_RETRY_AFTER_SECONDS, ShutdownState, shuttingDown } from './shutdown-state';

/** Liveness stays answerable while draining: an orchestrator must not kill a process that is finishing work. */
const LIVENESS_PATH = '/health/live';

/**
 * The first thing every request meets. While serving it only counts requests in flight; once draining it answers
 * whatever arrives on a still-open connection with 503 SHUTTING_DOWN, Retry-After and `Connection: close` (so the
 * client retries on a new connection, which reaches another instance), and lets the requests already in flight finish.
 */
@Injectable()
export class DrainGate {
  private readonly inFlight = new Set<Response>();
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly state: ShutdownState) {}

  readonly middleware = (request: Request, response: Response, next: NextFunction): void => {
    if (this.state.draining && request.path !== LIVENESS_PATH) {
      refuse(request, response);
      return;
    }
    this.inFlight.add(response);
    response.once('close', () => this.ended(response));
    next();
  };

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Resolves once no request is in flight. */
  whenIdle(): Promise<void> {
    if (this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private ended(response: Response): void {
    this.inFlight.delete(response);
    if (this.inFlight.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

function refuse(request: Request, response: Response): void {
  const error = shuttingDown();
  const description = { code: error.code, message: error.message, details: error.details };
  response.status(error.status).setHeader('Connection', 'close').setHeader('Retry-After', String(SHUTDOWN_RETRY_AFTER_SECONDS));
  if (isOpenAiRoute(request)) response.json(openAiErrorBody(description));
  else response.type('application/problem+json').send(JSON.stringify(problemBody(description, currentRequestId())));
}
