import { z } from 'zod';

/** Variables of the public edge: health probes and event streams (health/, jobs/job-event-streams.ts). */
export const edgeEnvShape = {
  /** Requests per minute from one address to /health, /health/detail, /health/engine, /health/storage; 0 = off. */
  HEALTH_RATE_LIMIT_PER_IP: z.coerce.number().int().min(0).default(120),
  /** Event streams (SSE) open at once in this process, all keys together. */
  EVENT_STREAMS_MAX: z.coerce.number().int().positive().default(500),
  /** Event streams open at once per API key (anonymous callers share one allowance). */
  EVENT_STREAMS_PER_KEY: z.coerce.number().int().positive().default(10),
};

export interface EdgeConfig {
  readonly healthRatePerIp: number;
  readonly maxEventStreams: number;
  readonly maxEventStreamsPerKey: number;
}

export function edgeConfig(env: { HEALTH_RATE_LIMIT_PER_IP: number; EVENT_STREAMS_MAX: number; EVENT_STREAMS_PER_KEY: number }): EdgeConfig {
  return {
    healthRatePerIp: env.HEALTH_RATE_LIMIT_PER_IP,
    maxEventStreams: env.EVENT_STREAMS_MAX,
    maxEventStreamsPerKey: Math.min(env.EVENT_STREAMS_PER_KEY, env.EVENT_STREAMS_MAX),
  };
}
