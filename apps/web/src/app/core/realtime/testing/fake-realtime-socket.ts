import type { SocketLike } from '../realtime-session';

/** A WebSocket stand-in for unit tests: records what the console sends and lets the test play the server. */
export class FakeRealtimeSocket implements SocketLike {
  readyState = 0;
  readonly sent: ({ type: string } & Record<string, unknown>)[] = [];
  closedWith?: number;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;

  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {}

  send(data: string): void {
    this.sent.push(JSON.parse(data) as { type: string } & Record<string, unknown>);
  }

  close(code = 1005): void {
    this.closedWith = code;
    this.readyState = 3;
    this.onclose?.({ code, reason: '' });
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  serve(event: Record<string, unknown>): void {
    this.onmessage?.({ data: JSON.stringify(event) });
  }
}
