import type { IncomingMessage } from 'node:http';
import { DomainError } from '../common/domain-error';
import type { AppConfig } from '../config/app-config';

/**
 * Cross-site WebSocket hijacking defence while API keys are optional. Browsers do not apply CORS to WebSockets, so
 * any page could open a session on a keyless local API; they do send the page's Origin. Accepted: no Origin (not a
 * browser), the API's own origin (the console it serves), or an origin CORS_ORIGINS allows. With keys required a page
 * has no key to offer, so the check is off, as for the Host allow-list.
 */
export function checkUpgradeOrigin(request: IncomingMessage, config: AppConfig): void {
  if (config.auth.keysRequired) return;
  const origin = request.headers.origin;
  if (origin === undefined) return;
  const allowed = config.server.corsOrigins;
  if (allowed === '*' || allowed.includes(origin)) return;
  let sameHost = false;
  try {
    sameHost = new URL(origin).host.toLowerCase() === (request.headers.host ?? '').toLowerCase();
  } catch {
    sameHost = false;
  }
  if (sameHost) return;
  throw new DomainError(
    'FORBIDDEN',
    `WebSocket sessions from the web origin "${origin.slice(0, 100)}" are not allowed while API keys are optional; add it to CORS_ORIGINS or require API keys.`,
    { origin: origin.slice(0, 100), variable: 'CORS_ORIGINS' },
  );
}
