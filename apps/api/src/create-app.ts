import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { JsonLogger } from './common/json-logger';
import { requestIdMiddleware } from './common/request-id.middleware';
import { purgeStaleWorkspaces } from './common/temp-workspace';
import { DrainGate } from './lifecycle/drain-gate';
import type { AppConfig } from './config/app-config';
import { bodyParserErrorMapper } from './limits/body-parser-errors';
import { corsOptions } from './limits/cors-options';
import { hostAllowList } from './limits/host-allow-list';
import { refusalDrain } from './limits/refusal-drain';
import { securityHeaders } from './limits/security-headers';
import { serveOpenApiDocument } from './openapi/openapi-document';
import { webConsoleMiddleware } from './web-console.middleware';

/** Builds the whole HTTP application from a validated config; used by main.ts and by tests. */
export async function createApp(config: AppConfig, logger = new JsonLogger(config.server.logLevel)): Promise<INestApplication> {
  const removed = await purgeStaleWorkspaces(config.upload.tmpDir);
  if (removed > 0) logger.warn({ msg: 'removed temp folders left by a previous run', count: removed }, 'Bootstrap');

  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config), {
    logger,
    bodyParser: true,
  });
  app.disable('x-powered-by');
  // 0: the socket's address is the client; N: the last N X-Forwarded-For hops are our proxies (the ALB: 1).
  app.set('trust proxy', config.limits.trustProxy);
  // First: an answer given before the body was read (401, 403, 413, 429, 503…) must reach the client intact.
  app.use(refusalDrain());
  app.use(requestIdMiddleware(logger));
  // CORS and security headers first, so every answer carries them (a 413, a 429 or a 503 too).
  const cors = corsOptions(config);
  if (cors) app.enableCors(cors);
  app.use(...securityHeaders());
  // While keys are optional: only known Host names (DNS rebinding), before any work is done for the request.
  const hostCheck = hostAllowList(config);
  if (hostCheck) app.use(hostCheck);
  // Before everything else that does work: counts requests in flight and refuses new ones while draining.
  app.use(app.get(DrainGate).middleware);
  const bodyLimit = config.limits.jsonBodyLimitBytes;
  app.useBodyParser('json', { limit: bodyLimit });
  app.useBodyParser('urlencoded', { limit: bodyLimit, extended: false });
  app.use(bodyParserErrorMapper);
  const web = webConsoleMiddleware(config.server.webDist);
  if (web) app.use(web);
  // No enableShutdownHooks(): main.ts installs graceful-shutdown.ts, which drains before Nest's hooks run.

  serveOpenApiDocument(app);
  return app;
}
