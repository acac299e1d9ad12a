import { Module } from '@nestjs/common';
import { IpRateLimitMiddleware } from './ip-rate-limit.middleware';
import { KeyRateLimitGuard } from './key-rate-limit.guard';
import { RateLimits } from './rate-limits';

/** Rate limits: the per-address middleware and the per-key guard (both registered by AppModule, in order). */
@Module({
  providers: [RateLimits, IpRateLimitMiddleware, KeyRateLimitGuard],
  exports: [RateLimits, IpRateLimitMiddleware, KeyRateLimitGuard],
})
export class LimitsModule {}
