import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorCode } from '@speech/contracts';
import { openAiErrorBody, problemBody } from '../common/error-body';
import type { JsonLogger } from '../common/json-logger';

interface ClientError extends Error {
  readonly code?: string;
  /** The bytes Node was parsing when it failed (Node ≥ 14). */
  readonly rawPacket?: Buffer;
}

/**
 * Node answers a request it cannot parse (bad request line, header overflow, broken chunking, a request that
 * was not received within requestTimeout) by itself, with an empty body, before Express ever sees it. This
 * gives those answers the one error model too: a stable code, a human message and a request id, in the
 * OpenAI shape when the request line named a /v1 route.
 */
export function answerClientErrorsInOurShape(server: Server, logger: JsonLogger): void {
  // A framing error inside a body (a Content-Length that lies, broken chunks) comes after the request line was
  // parsed and the request handed to Express: remember each connection's latest path to answer in its shape.
  const latestPath = new WeakMap<Duplex, string>();
  server.on('request', (request: IncomingMessage) => latestPath.set(request.socket, request.url ?? ''));
  server.on('clientError', (error: ClientError, socket: Duplex) => {
    const inResponse = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
    if (error.code === 'ECONNRESET' || !socket.writable || inResponse) {
      socket.destroy();
      return;
    }
    const code = codeFor(error);
    const requestId = randomUUID();
    const message = messageFor(code);
    const openAi =
      /^[A-Z]+ \/v1\//.test(error.rawPacket?.subarray(0, 64).toString('latin1') ?? '') || (latestPath.get(socket) ?? '').startsWith('/v1/');
    const body = JSON.stringify(openAi ? openAiErrorBody({ code, message, details: {} }) : problemBody({ code, message, details: {} }, requestId));
    const status = code === 'HEADERS_TOO_LARGE' ? 431 : code === 'REQUEST_TIMEOUT' ? 408 : 400;
    logger.warn({ msg: 'unparseable request refused', code, status, parser_error: error.code, request_id: requestId }, 'Http');
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        `Content-Type: ${openAi ? 'application/json' : 'application/problem+json'}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${requestId}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  });
}

function codeFor(error: ClientError): ErrorCode {
  if (error.code === 'HPE_HEADER_OVERFLOW') return 'HEADERS_TOO_LARGE';
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 'REQUEST_TIMEOUT';
  return 'MALFORMED_REQUEST';
}

function messageFor(code: ErrorCode): string {
  switch (code) {
    case 'HEADERS_TOO_LARGE':
      return 'The request headers are larger than the server accepts (16 KiB in total).';
    case 'REQUEST_TIMEOUT':
      return 'The whole request was not received within the time limit; send it faster or in smaller parts.';
    default:
      return 'The HTTP request could not be parsed: check the request line, the headers and Content-Length or chunked framing.';
  }
}
