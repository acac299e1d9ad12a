import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';
import { openAiErrorBody } from '../common/error-body';
import type { DomainError } from '../common/domain-error';

/**
 * Refuses a WebSocket upgrade with a plain HTTP answer in OpenAI's error shape and our stable code (what the SDKs
 * and browsers report as the handshake failure), then closes the socket.
 */
export function refuseUpgrade(socket: Duplex, error: DomainError, requestId: string): void {
  if (socket.destroyed) return;
  const body = JSON.stringify(openAiErrorBody(error));
  const headers = [
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    `X-Request-Id: ${requestId}`,
    ...(error.retryAfterSeconds !== undefined ? [`Retry-After: ${error.retryAfterSeconds}`] : []),
    ...(error.code === 'UNAUTHORIZED' ? ['WWW-Authenticate: Bearer realm="speech-platform"'] : []),
    'Connection: close',
  ];
  socket.end(`${headers.join('\r\n')}\r\n\r\n${body}`);
}
