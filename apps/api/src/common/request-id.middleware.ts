import type { NextFunction, Request, Response } from 'express';
import type { LoggerService } from '@nestjs/common';
import { pickRequestId, runWithRequestId } from './request-context';

/** Gives every request an id (the caller's X-Request-Id when sane), echoes it, and logs one line per request. */
export function requestIdMiddleware(logger: LoggerService) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const requestId = pickRequestId(request.headers['x-request-id']);
    response.setHeader('X-Request-Id', requestId);
    const startedAt = performance.now();
    runWithRequestId(requestId, () => {
      response.on('close', () => {
        runWithRequestId(requestId, () =>
          logger.log(
            {
              msg: 'request',
              method: request.method,
              // The path only: query strings may carry secrets.
              path: request.path,
              status: response.writableFinished ? response.statusCode : 499,
              ms: Math.round(performance.now() - startedAt),
            },
            'HTTP',
          ),
        );
      });
      next();
    });
  };
}
