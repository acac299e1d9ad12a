import type { Response } from 'express';

/**
 * Server-sent events as OpenAI sends them: `data: <json>` blocks, no `event:` line (the SDK reads the type from the
 * JSON), then the response ends. Proxies must not buffer it (X-Accel-Buffering) nor cache it.
 */
export function sendEventStream(response: Response, events: readonly object[], headers: Record<string, string> = {}): void {
  response
    .status(200)
    .set({ ...headers, 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', 'X-Accel-Buffering': 'no' });
  for (const event of events) response.write(`data: ${JSON.stringify(event)}\n\n`);
  response.end();
}
