import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/app-config';
import { createApp } from './create-app';
import { JsonLogger } from './common/json-logger';
import { GracefulShutdown } from './graceful-shutdown';
import { answerClientErrorsInOurShape } from './limits/client-errors';
import { applyServerTimeouts } from './limits/server-timeouts';
import { listeningOn } from './lifecycle/listening-address';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = new JsonLogger(config.server.logLevel);
  const app = await createApp(config, logger);
  // Before listen: a SIGTERM from here on still stops the whisper worker and the stores cleanly.
  new GracefulShutdown(app, config, logger).listen();
  applyServerTimeouts(app.getHttpServer(), config.limits);
  answerClientErrorsInOurShape(app.getHttpServer(), logger);
  await app.listen(config.server.port, config.server.host);
  // The socket's own address, not app.getUrl(): that one rewrites 0.0.0.0 into 127.0.0.1 and hides a public bind.
  logger.log({ msg: 'listening', ...listeningOn(app.getHttpServer()), engine: config.engine.kind }, 'Bootstrap');
}

main().catch((error: unknown) => {
  process.stderr.write(`Start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
