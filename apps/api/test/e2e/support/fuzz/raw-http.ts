import { connect } from 'node:net';
import type { Framing } from './multipart-mutations';

export interface RawAnswer {
  /** Undefined when the server closed the connection without answering. */
  readonly status?: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /** Neither an answer nor a close within the time allowed. */
  readonly hung: boolean;
}

export interface RawOptions {
  readonly port: number;
  readonly framing: Framing;
  /** How long a complete request may take to be answered (the engine may be busy). */
  readonly answerTimeoutMs: number;
  /** An incomplete request is half-closed after this long without an answer. */
  readonly halfCloseAfterMs?: number;
}

/**
 * Writes `bytes` to a fresh TCP connection, exactly as given, and reads the first HTTP response. An incomplete
 * request is half-closed (FIN) after a pause so the server sees the end of input; an aborted one is reset.
 */
export function sendRaw(bytes: Buffer, options: RawOptions): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect(options.port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (answer: RawAnswer) => {
      if (settled) return;
      settled = true;
      for (const timer of timers) clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const closedWithout = () => finish(parseResponse(received) ?? { headers: {}, body: received, hung: false });
    socket.on('error', () => closedWithout()); // EPIPE/ECONNRESET: the server hung up on us, answer or not
    socket.on('close', () => closedWithout());
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const answer = parseResponse(received, true);
      if (answer) finish(answer);
    });
    socket.on('connect', () => {
      socket.write(bytes, () => {
        if (options.framing === 'abort') {
          socket.resetAndDestroy();
          finish({ headers: {}, body: Buffer.alloc(0), hung: false });
        } else if (options.framing === 'incomplete') {
          timers.push(setTimeout(() => socket.end(), options.halfCloseAfterMs ?? 200));
        }
      });
    });
    timers.push(setTimeout(() => finish({ ...(parseResponse(received) ?? { headers: {}, body: received }), hung: true }), options.answerTimeoutMs));
  });
}

/** The first response in `bytes`, or undefined when it is not all there (`needComplete`) or there is none. */
function parseResponse(bytes: Buffer, needComplete = false): RawAnswer | undefined {
  const headEnd = bytes.indexOf('\r\n\r\n');
  if (headEnd < 0) return undefined;
  const [statusLine = '', ...lines] = bytes.toString('latin1', 0, headEnd).split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  if (!Number.isInteger(status)) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = bytes.subarray(headEnd + 4);
  if (headers['transfer-encoding']?.includes('chunked')) {
    const decoded = dechunk(body);
    if (!decoded && needComplete) return undefined;
    body = decoded ?? body;
  } else if (headers['content-length'] !== undefined) {
    const length = Number(headers['content-length']);
    if (body.length < length && needComplete) return undefined;
    body = body.subarray(0, length);
  } else if (needComplete && status !== 204 && status !== 304) {
    return undefined; // read until close
  }
  return { status, headers, body, hung: false };
}

function dechunk(bytes: Buffer): Buffer | undefined {
  const out: Buffer[] = [];
  for (let at = 0; ; ) {
    const lineEnd = bytes.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const size = parseInt(bytes.toString('latin1', at, lineEnd), 16);
    if (Number.isNaN(size)) return undefined;
    if (size === 0) return Buffer.concat(out);
    if (lineEnd + 2 + size + 2 > bytes.length) return undefined;
    out.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}
