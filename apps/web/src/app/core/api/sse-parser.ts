/** One server-sent event as the HTML spec dispatches it. */
export interface SseMessage {
  /** `event:` field; "message" when absent. */
  readonly event: string;
  readonly data: string;
  /** The last `id:` seen on the stream (sent back as Last-Event-ID on reconnect). */
  readonly id?: string;
}

/**
 * Incremental text/event-stream parser (HTML Living Standard, "Interpreting an event stream"):
 * feed it decoded chunks as they arrive, get whole events back. Chunks may split lines anywhere.
 */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private pendingCr = false;
  lastEventId: string | undefined;
  /** Reconnection delay the server asked for, in ms. */
  retryMs: number | undefined;

  push(chunk: string): SseMessage[] {
    let text = chunk;
    // A "\r\n" split across two chunks: the "\r" already ended the line.
    if (this.pendingCr && text.startsWith('\n')) text = text.slice(1);
    this.pendingCr = text.endsWith('\r');
    this.buffer += text;
    const messages: SseMessage[] = [];
    const lines = this.buffer.split(/\r\n|\r|\n/);
    this.buffer = lines.pop() ?? '';
    for (const line of lines) {
      const message = this.line(line);
      if (message) messages.push(message);
    }
    return messages;
  }

  private line(line: string): SseMessage | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.data.push(value);
        break;
      case 'event':
        this.event = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
    }
    return undefined;
  }

  private dispatch(): SseMessage | undefined {
    const data = this.data;
    const event = this.event || 'message';
    this.data = [];
    this.event = '';
    if (data.length === 0) return undefined;
    return { event, data: data.join('\n'), id: this.lastEventId };
  }
}
