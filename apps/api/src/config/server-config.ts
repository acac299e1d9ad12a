import { resolve } from 'node:path';
import { z } from 'zod';
import type { EdgeConfig } from './edge-config';

/** Variables of the HTTP server itself: where it listens, who may call it from a browser, how it stops. */
export const serverEnvShape = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Address to listen on. Loopback by default: a laptop's API is not on the network unless HOST says so (images set 0.0.0.0). */
  HOST: z.string().min(1).default('127.0.0.1'),
  /**
   * Extra Host-header names the API answers to while API keys are optional (localhost, 127.0.0.1 and [::1] always
   * are): comma-separated, e.g. `speech.lan,192.168.1.20`; `*` turns the DNS-rebinding check off.
   */
  ALLOWED_HOSTS: z.string().default(''),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** Comma-separated origins allowed by CORS; empty = same origin only; `*` = any. */
  CORS_ORIGINS: z.string().default(''),
  /** Built console to serve on the API's origin; ignored when the folder does not exist. */
  WEB_DIST: z.string().default(resolve('dist/apps/web/browser')),
  /**
   * After SIGTERM, how long in-flight requests may take before they are aborted with 503 SHUTTING_DOWN. Keep it
   * below the orchestrator's kill timeout (ECS stopTimeout, 120 s at most) with room for the clean-up.
   */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(3600).default(100),
};

export type ServerEnv = z.infer<z.ZodObject<typeof serverEnvShape>>;

export interface ServerConfig {
  readonly nodeEnv: ServerEnv['NODE_ENV'];
  readonly host: string;
  readonly port: number;
  /** Host-header names accepted while API keys are optional, besides the loopback names; `'*'`: any. */
  readonly allowedHosts: '*' | readonly string[];
  readonly logLevel: ServerEnv['LOG_LEVEL'];
  /** `'*'` allows any origin; an empty list allows none (same origin only). */
  readonly corsOrigins: '*' | readonly string[];
  readonly webDist: string;
  /** SIGTERM → in-flight requests get this long before they are aborted (graceful-shutdown.ts). */
  readonly shutdownGraceSeconds: number;
  /** Health-probe rate limit and event-stream caps. */
  readonly edge: EdgeConfig;
}

export function serverConfig(env: ServerEnv, edge: EdgeConfig): ServerConfig {
  const origins = env.CORS_ORIGINS.split(',').map((origin) => origin.trim()).filter(Boolean);
  const hosts = env.ALLOWED_HOSTS.split(',').map((host) => host.trim().toLowerCase()).filter(Boolean);
  return {
    nodeEnv: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    allowedHosts: hosts.includes('*') ? '*' : hosts,
    logLevel: env.LOG_LEVEL,
    corsOrigins: origins.includes('*') ? '*' : origins,
    webDist: env.WEB_DIST,
    shutdownGraceSeconds: env.SHUTDOWN_GRACE_SECONDS,
    edge,
  };
}
