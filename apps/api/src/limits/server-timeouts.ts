import type { Server } from 'node:http';
import type { LimitsConfig } from '../config/app-config';

/**
 * Node's own connection limits, set on the listening server:
 * - requestTimeout: the whole request (headers and body) must arrive within it, or Node answers 408 and closes —
 *   a slow drip that never goes idle is cut off too. The response (the engine's work) is not counted.
 * - headersTimeout: the headers alone (slowloris).
 * - keepAliveTimeout: longer than the load balancer's idle timeout, so the balancer, not the API, closes idle
 *   connections; otherwise it may send a request on a socket the API is closing (a 502 for the client).
 * Node checks the first two every 30 s (connectionsCheckingInterval), so they fire up to 30 s late.
 */
export function applyServerTimeouts(server: Server, limits: LimitsConfig): void {
  server.requestTimeout = limits.requestTimeoutSeconds * 1000;
  server.headersTimeout = limits.headersTimeoutSeconds * 1000;
  server.keepAliveTimeout = limits.keepAliveTimeoutSeconds * 1000;
}
