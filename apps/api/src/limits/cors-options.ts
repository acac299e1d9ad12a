import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface';
import type { AppConfig } from '../config/app-config';
import { RATE_LIMIT_HEADERS } from './rate-limit-response';

/** Headers a cross-origin console may read: request ids, back-off hints, where a new job lives, rate-limit state. */
const EXPOSED_HEADERS = ['X-Request-Id', 'Retry-After', 'Location', 'Idempotent-Replayed', 'X-Audio-Warning', ...RATE_LIMIT_HEADERS];

/** Request headers a cross-origin caller may send: its key (either form), idempotency, JSON bodies, tracing. */
const ALLOWED_HEADERS = ['Authorization', 'X-Api-Key', 'Idempotency-Key', 'Content-Type', 'X-Request-Id', 'Last-Event-ID'];

/**
 * CORS from CORS_ORIGINS: none configured → no CORS at all (same origin only); `*` → any origin (refused in
 * production by the config); otherwise exactly the listed origins. Never credentials: the API authenticates with
 * keys in headers, not cookies, so a browser must not attach ambient credentials for another site.
 */
export function corsOptions(config: AppConfig): CorsOptions | undefined {
  const origins = config.server.corsOrigins;
  if (origins !== '*' && origins.length === 0) return undefined;
  return {
    origin: origins === '*' ? '*' : [...origins],
    methods: ['GET', 'HEAD', 'POST', 'DELETE'],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    credentials: false,
    maxAge: 600,
  };
}
