import type { Response } from 'express';

/**
 * Server-sent events as OpenAI sends them: `data: <json>` blocks, no `event:` line (the SDK reads the type from the
 * JSON), then the response ends. Proxies must not buffer it (X-Accel-Buffering) nor cache it. The stream opens with
 * its first event and is written as events come: a stream=true transcription sends text while the rest of the file is
 * transcribed. Nothing is written (and the status can still be an HTTP error) until then.
 */
export class EventStreamWriter {
  private opened = false;

  constructor(
    private readonly response: Response,
    private readonly headers: () => Record<string, string>,
  ) {}

  get started(): boolean {
    return this.opened;
  }

  write(event: object): void {
    if (this.response.writableEnded || this.response.destroyed) return;
    if (!this.opened) {
      this.opened = true;
      this.response
        .status(200)
        .set({ ...this.headers(), 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', 'X-Accel-Buffering': 'no' });
      this.response.flushHeaders();
    }
    this.response.write(`data: ${JSON.stringify(event)}\n\n`);
  }

  end(): void {
    if (!this.response.writableEnded) this.response.end();
  }
}
