import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { rateLimitKey } from './client-address';
import { advertiseRateLimit, rateLimited } from './rate-limit-response';
import { RateLimits } from './rate-limits';

/**
 * Per-address limit, before any guard: failed key guesses count too. The address is `req.ip`, which follows
 * X-Forwarded-For only as far as TRUST_PROXY allows, so a client cannot pick its own bucket by sending the header.
 */
@Injectable()
export class IpRateLimitMiddleware implements NestMiddleware {
  constructor(private readonly limits: RateLimits) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const limiter = this.limits.perIp;
    if (limiter) {
      const decision = limiter.take(rateLimitKey(request.ip ?? request.socket.remoteAddress));
      advertiseRateLimit(response, decision);
      if (!decision.allowed) throw rateLimited('ip', decision, request, response);
    }
    next();
  }
}
