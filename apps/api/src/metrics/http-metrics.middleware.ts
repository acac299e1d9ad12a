import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { MetricsService } from './metrics.service';

/** Counts and times every request by its route pattern (never the raw path: ids would explode cardinality). */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsService) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const stop = this.metrics.httpDuration.startTimer();
    response.on('finish', () => {
      const route = routeOf(request);
      stop({ route, method: request.method });
      this.metrics.httpRequests.inc({ route, method: request.method, status: String(response.statusCode) });
    });
    next();
  }
}

function routeOf(request: Request): string {
  const pattern = (request.route as { path?: string } | undefined)?.path;
  return pattern ? `${request.baseUrl}${pattern}` : 'unmatched';
}
