import type { IncomingMessage } from 'node:http';
import type { Request } from 'express';
import { presentedKey } from '../auth/auth.guard';

/** Browsers cannot set headers on a WebSocket: they offer the key as a subprotocol, as OpenAI's Realtime API accepts. */
export const KEY_SUBPROTOCOL_PREFIX = 'openai-insecure-api-key.';

export function offeredProtocols(request: IncomingMessage): string[] {
  const header = request.headers['sec-websocket-protocol'];
  return (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((p) => p.trim()).filter((p) => p.length > 0);
}

/** The key of an upgrade request: `Authorization: Bearer`, `x-api-key`, or the `openai-insecure-api-key.<key>` subprotocol. */
export function realtimeKey(request: IncomingMessage): string | null {
  const fromHeaders = presentedKey(request as Request);
  if (fromHeaders !== null) return fromHeaders;
  const offered = offeredProtocols(request).find((protocol) => protocol.startsWith(KEY_SUBPROTOCOL_PREFIX));
  return offered ? offered.slice(KEY_SUBPROTOCOL_PREFIX.length) : null;
}

/** The subprotocol the server answers with: never the one that carries the key (it would echo the secret back). */
export function chosenProtocol(protocols: ReadonlySet<string>): string | false {
  for (const protocol of protocols) if (!protocol.startsWith(KEY_SUBPROTOCOL_PREFIX)) return protocol;
  return false;
}
