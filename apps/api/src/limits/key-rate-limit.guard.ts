import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { advertiseRateLimit, rateLimited } from './rate-limit-response';
import { RateLimits } from './rate-limits';

/**
 * Per-key limit, a global guard after AuthGuard (which sets `req.principal`): one key's callers share a bucket
 * whatever addresses they come from. Anonymous callers (no key) and public routes are left to the address limit.
 */
@Injectable()
export class KeyRateLimitGuard implements CanActivate {
  constructor(private readonly limits: RateLimits) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    const keyId = request.principal?.keyId;
    const limiter = this.limits.perKey;
    if (!limiter || !keyId) return true;
    const decision = limiter.take(keyId);
    const response = context.switchToHttp().getResponse<Response>();
    advertiseRateLimit(response, decision);
    if (!decision.allowed) throw rateLimited('key', decision, request, response);
    return true;
  }
}
