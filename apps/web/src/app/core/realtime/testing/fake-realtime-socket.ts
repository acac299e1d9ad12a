import type { SocketLike } from '../realtime-session';

/** A WebSocket stand-in for unit tests: records what the console sends and lets the test play the server. */
export class FakeRealtimeSocket implements SocketLike {
  readyState = 0;
  readonly sent: ({ type: string } & Record<string, unknown>)[] = [];
  closedWith?: number;
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onerror: SocketLike['onerror'] = null;
  onclose: SocketLike['onclose'] = null;

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
    this.onclose?.call(this.asSocket(), { code, reason: '' } as CloseEvent);
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.call(this.asSocket(), new Event('open'));
  }

  /** Closes as the network would (not through close()), e.g. a refused handshake. */
  drop(code: number): void {
    this.readyState = 3;
    this.onclose?.call(this.asSocket(), { code, reason: '' } as CloseEvent);
  }

  private asSocket(): WebSocket {
    return this as unknown as WebSocket;
  }

  serve(event: Record<string, unknown>): void {
    this.onmessage?.call(this.asSocket(), { data: JSON.stringify(event) } as MessageEvent);
  }
}
