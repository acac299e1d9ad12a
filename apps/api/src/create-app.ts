import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { JsonLogger } from './common/json-logger';
import { requestIdMiddleware } from './common/request-id.middleware';
import { purgeStaleWorkspaces } from './common/temp-workspace';
import type { AppConfig } from './config/app-config';
import { webConsoleMiddleware } from './web-console.middleware';

/** Builds the whole HTTP application from a validated config; used by main.ts and by tests. */
export async function createApp(config: AppConfig, logger = new JsonLogger(config.server.logLevel)): Promise<INestApplication> {
  const removed = await purgeStaleWorkspaces(config.upload.tmpDir);
  if (removed > 0) logger.warn({ msg: 'removed temp folders left by a previous run', count: removed }, 'Bootstrap');

  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config), {
    logger,
    bodyParser: true,
    cors: corsOptions(config),
  });
  app.useBodyParser('json', { limit: '1mb' });
  app.useBodyParser('urlencoded', { limit: '1mb', extended: false });
  app.disable('x-powered-by');
  app.set('trust proxy', 1);
  app.use(requestIdMiddleware(logger));
  const web = webConsoleMiddleware(config.server.webDist);
  if (web) app.use(web);
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Speech platform API')
      .setDescription('Self-hosted speech-to-text: native routes, OpenAI-compatible /v1/audio routes, health and metrics.')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
  return app;
}

/** Headers a cross-origin console may read: request ids, back-off hints, and where a new job lives. */
const EXPOSED_HEADERS = ['X-Request-Id', 'Retry-After', 'Location', 'Idempotent-Replayed'];

function corsOptions(config: AppConfig) {
  const origins = config.server.corsOrigins;
  if (origins === '*') return { origin: true, exposedHeaders: EXPOSED_HEADERS };
  if (origins.length === 0) return false;
  return { origin: [...origins], exposedHeaders: EXPOSED_HEADERS };
}
