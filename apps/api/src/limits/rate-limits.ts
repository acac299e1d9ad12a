import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { TokenBucketLimiter } from './token-bucket';

/** The two limiters of this process, built from config; undefined when a limit is off (0). */
@Injectable()
export class RateLimits {
  readonly perIp?: TokenBucketLimiter;
  readonly perKey?: TokenBucketLimiter;

  constructor(config: AppConfig) {
    const { ratePerIp, ratePerKey } = config.limits;
    this.perIp = ratePerIp > 0 ? new TokenBucketLimiter(ratePerIp) : undefined;
    this.perKey = ratePerKey > 0 ? new TokenBucketLimiter(ratePerKey) : undefined;
  }
}
