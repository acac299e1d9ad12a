import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AppConfig } from '../config/app-config';
import { rateLimitKey } from '../limits/client-address';
import { rateLimited } from '../limits/rate-limit-response';
import { TokenBucketLimiter } from '../limits/token-bucket';

/**
 * The health routes' own bucket per client address. They stay outside the general per-address limit (a busy
 * client must not make its load balancer's probes fail), but nobody may hammer them either. /health/live is not
 * limited at all: it does no work, and a refused liveness probe would get a healthy task killed.
 */
@Injectable()
export class HealthRateLimitMiddleware implements NestMiddleware {
  private readonly limiter?: TokenBucketLimiter;

  constructor(config: AppConfig) {
    const perMinute = config.server.edge.healthRatePerIp;
    this.limiter = perMinute > 0 ? new TokenBucketLimiter(perMinute) : undefined;
  }

  use(request: Request, response: Response, next: NextFunction): void {
    const decision = this.limiter?.take(rateLimitKey(request.ip ?? request.socket.remoteAddress));
    if (decision && !decision.allowed) throw rateLimited('ip', decision, request, response);
    next();
  }
}
