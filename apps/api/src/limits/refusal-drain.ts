import type { Socket } from 'node:net';
import type { NextFunction, Request, Response } from 'express';

/** How much of an unread request body the server swallows after answering, before it cuts the connection. */
export interface RefusalDrainLimits {
  readonly maxBytes: number;
  readonly maxMs: number;
}

/**
 * 32 MiB or 10 s, whichever comes first. A client that reads while it sends (undici/fetch, which the OpenAI SDK
 * uses, Node's http client) sees the answer within milliseconds and stops sending itself; the bound only matters
 * for a client that sends blindly, and caps what such a client costs us.
 */
export const REFUSAL_DRAIN: RefusalDrainLimits = { maxBytes: 32 * 1024 * 1024, maxMs: 10_000 };

/**
 * Early refusals (401/403/413/415/429/503 answered before the upload was read) must reach the client intact.
 *
 * Why: with `Connection: close` Node destroys the socket as soon as the answer is flushed. Closing a socket whose
 * receive queue still holds upload bytes makes the kernel send a TCP RST, and a RST can wipe the answer from the
 * client's receive buffer before the client read it (under CPU load it usually does): the OpenAI SDK then raises
 * APIConnectionError instead of AuthenticationError/PermissionDeniedError/RateLimitError. This is the "lingering
 * close" that nginx and Apache do: after the answer, half-close, read and discard the rest of the body (bounded),
 * then close. The answer is on the wire first; nothing is buffered.
 *
 * Installed once, first in the chain, so every refusal site keeps just setting `Connection: close`.
 */
export function refusalDrain(limits: RefusalDrainLimits = REFUSAL_DRAIN) {
  return (request: Request, response: Response, next: NextFunction): void => {
    response.once('finish', () => {
      if (!request.complete) drainThenClose(request, request.socket, limits);
    });
    next();
  };
}

function drainThenClose(request: Request, socket: Socket, limits: RefusalDrainLimits): void {
  if (socket.destroyed) return;
  // Node's destroySoon() (Connection: close) has ended our side and waits for the flush to destroy the socket:
  // keep the half-closed socket open instead, so the client can finish sending while it reads the answer.
  socket.removeListener('finish', socket.destroy);
  let received = 0;
  const cut = () => {
    clearTimeout(timer);
    if (!socket.destroyed) socket.destroy();
  };
  const timer = setTimeout(cut, limits.maxMs);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
  request.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > limits.maxBytes) cut();
  });
  request.once('end', () => {
    clearTimeout(timer);
    // The body is read whole: closing now sends a clean FIN. A keep-alive connection simply stays open.
    if (socket.writableEnded) socket.destroy();
  });
  request.once('error', cut);
  request.resume();
}
