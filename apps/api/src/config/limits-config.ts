import { z } from 'zod';

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 };

/** `1mb`, `512kb`, `1048576` (bytes), as body-parser understands them, into a number of bytes. */
const byteSize = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^\d+(\.\d+)?\s*(b|kb|mb)?$/, 'must be a size such as 1mb, 512kb or a number of bytes')
  .transform((value) => {
    const [, amount = '0', unit = 'b'] = /^(\d+(?:\.\d+)?)\s*(b|kb|mb)?$/.exec(value) ?? [];
    return Math.floor(Number(amount) * (UNITS[unit] ?? 1));
  })
  .refine((bytes) => bytes >= 1024 && bytes <= 64 * 1024 * 1024, 'must be between 1kb and 64mb');

const seconds = z.coerce.number().int().positive().max(86_400);

/** Variables of request limits and HTTP hardening (limits/). */
export const limitsEnvShape = {
  /** Requests per minute from one client address (a bucket that holds a minute's worth); 0 = off. */
  RATE_LIMIT_PER_IP: z.coerce.number().int().min(0).default(600),
  /** Requests per minute with one API key, across all its addresses; 0 = off. */
  RATE_LIMIT_PER_KEY: z.coerce.number().int().min(0).default(1200),
  /** Proxies in front of the API whose X-Forwarded-For/-Proto to trust: 0 = the socket's address; 1 = one (the ALB). */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  /** Longest time to receive one whole request (headers and body); the engine's work does not count. */
  REQUEST_TIMEOUT_SECONDS: seconds.default(600),
  /** Idle time of a keep-alive connection before the API closes it: longer than the load balancer's idle timeout. */
  KEEP_ALIVE_TIMEOUT_SECONDS: seconds.default(65),
  /** An upload that sends nothing for this long is abandoned (408) and its temp folder removed. */
  UPLOAD_IDLE_TIMEOUT_SECONDS: seconds.default(30),
  /** Largest JSON or urlencoded request body. */
  JSON_BODY_LIMIT: byteSize.default(1024 * 1024), // 1mb
};

export interface LimitsConfig {
  /** Requests per minute per client address; 0 = off. */
  readonly ratePerIp: number;
  /** Requests per minute per API key; 0 = off. */
  readonly ratePerKey: number;
  /** Proxy hops trusted for the client address and protocol. */
  readonly trustProxy: number;
  readonly requestTimeoutSeconds: number;
  readonly headersTimeoutSeconds: number;
  readonly keepAliveTimeoutSeconds: number;
  readonly uploadIdleTimeoutSeconds: number;
  readonly jsonBodyLimitBytes: number;
}

/** Node's own default cap for receiving the headers; a slow-headers (slowloris) client is cut off after it. */
const HEADERS_TIMEOUT_SECONDS = 60;

export function limitsConfig(env: {
  RATE_LIMIT_PER_IP: number;
  RATE_LIMIT_PER_KEY: number;
  TRUST_PROXY: number;
  REQUEST_TIMEOUT_SECONDS: number;
  KEEP_ALIVE_TIMEOUT_SECONDS: number;
  UPLOAD_IDLE_TIMEOUT_SECONDS: number;
  JSON_BODY_LIMIT: number;
}): LimitsConfig {
  return {
    ratePerIp: env.RATE_LIMIT_PER_IP,
    ratePerKey: env.RATE_LIMIT_PER_KEY,
    trustProxy: env.TRUST_PROXY,
    requestTimeoutSeconds: env.REQUEST_TIMEOUT_SECONDS,
    headersTimeoutSeconds: Math.min(HEADERS_TIMEOUT_SECONDS, env.REQUEST_TIMEOUT_SECONDS),
    keepAliveTimeoutSeconds: env.KEEP_ALIVE_TIMEOUT_SECONDS,
    uploadIdleTimeoutSeconds: env.UPLOAD_IDLE_TIMEOUT_SECONDS,
    jsonBodyLimitBytes: env.JSON_BODY_LIMIT,
  };
}

/**
 * CORS_ORIGINS: each entry an origin (scheme://host[:port], nothing after); `*` only outside production, where any
 * site could drive the API from a visitor's browser with the keys it holds.
 */
export function refineCorsOrigins(env: { NODE_ENV: string; CORS_ORIGINS: string }, ctx: z.RefinementCtx): void {
  const entries = env.CORS_ORIGINS.split(',').map((entry) => entry.trim()).filter(Boolean);
  for (const entry of entries) {
    if (entry === '*') {
      if (env.NODE_ENV === 'production') {
        ctx.addIssue({
          code: 'custom',
          path: ['CORS_ORIGINS'],
          message: '`*` is not allowed when NODE_ENV=production: list the origins that may call the API, e.g. https://console.example.com',
        });
      }
      continue;
    }
    const origin = originOf(entry);
    if (origin !== entry) {
      // Browsers send the origin in this exact form; anything else would never match, silently.
      const hint = origin ? `; write it as ${origin}` : '';
      ctx.addIssue({ code: 'custom', path: ['CORS_ORIGINS'], message: `"${entry}" is not an origin (scheme://host[:port], lower case, no path)${hint}` });
    }
  }
}

function originOf(entry: string): string | undefined {
  try {
    const url = new URL(entry);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}
