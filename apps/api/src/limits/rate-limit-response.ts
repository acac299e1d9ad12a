import type { Request, Response } from 'express';
import { DomainError } from '../common/domain-error';
import type { RateDecision } from './token-bucket';

/** Headers a cross-origin client may read to pace itself. */
export const RATE_LIMIT_HEADERS = ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'RateLimit-Policy'];

/**
 * RateLimit-* headers (draft-ietf-httpapi-ratelimit-headers) on every limited response, allowed or not. When two
 * limits apply (address and key) the one closest to running out is shown, as the draft asks.
 */
export function advertiseRateLimit(response: Response, decision: RateDecision): void {
  const shown = response.getHeader('RateLimit-Remaining');
  if (shown !== undefined && Number(shown) <= decision.remaining) return;
  response.setHeader('RateLimit-Limit', String(decision.limit));
  response.setHeader('RateLimit-Remaining', String(decision.remaining));
  response.setHeader('RateLimit-Reset', String(decision.resetSeconds));
  response.setHeader('RateLimit-Policy', `${decision.limit};w=60`);
}

/** 429 in the one error model; the filter turns retryAfterSeconds into Retry-After. */
export function rateLimited(scope: 'ip' | 'key', decision: RateDecision, request: Request, response: Response): DomainError {
  // Do not keep the connection to drain a body we refuse (possibly a large upload still arriving).
  if (Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined) {
    response.setHeader('Connection', 'close');
  }
  return rateLimitError(scope, decision);
}

/** The 429 of a refused rate-limit decision (also for WebSocket upgrades, which have no Express response). */
export function rateLimitError(scope: 'ip' | 'key', decision: RateDecision): DomainError {
  const who = scope === 'ip' ? 'this client address' : 'this API key';
  return new DomainError(
    'RATE_LIMITED',
    `Too many requests from ${who}: the limit is ${decision.limit} per minute. Retry in ${decision.retryAfterSeconds} s.`,
    { limit_per_minute: decision.limit, limit_scope: scope },
    decision.retryAfterSeconds,
  );
}
