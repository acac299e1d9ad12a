import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';

const API_PREFIXES = ['/v1/', '/api/', '/transcribe', '/health', '/status', '/metrics'];

/**
 * Serves the built Angular console on the API's own origin (`npm start`): static files, and
 * index.html for client-side routes. API paths are never shadowed.
 */
export function webConsoleMiddleware(webDist: string): express.RequestHandler | undefined {
  const index = join(webDist, 'index.html');
  if (!existsSync(index)) return undefined;
  const serveStatic = express.static(webDist, { index: false, maxAge: '1h' });
  return (request: Request, response: Response, next: NextFunction) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || API_PREFIXES.some((prefix) => request.path.startsWith(prefix))) {
      next();
      return;
    }
    serveStatic(request, response, () => {
      if (request.accepts('html')) response.sendFile(index);
      else next();
    });
  };
}
