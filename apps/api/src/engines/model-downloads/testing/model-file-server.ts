import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServedFile {
  readonly bytes: Buffer;
  /** Answer the first request for it with a connection cut after this many bytes (a dropped download). */
  cutOnceAfter?: number;
  /** Pause between 64 KiB pieces, so a test can watch a download while it runs. */
  readonly pieceDelayMs?: number;
  /** Answer every request with the whole file (200), as a server without Range support does. */
  readonly ignoreRange?: boolean;
}

/**
 * A model mirror for tests: serves real bytes as `/ggml-<name>.bin` with HTTP Range support (206 + Content-Range, 416
 * past the end), and can drop the connection mid-file once to prove a download resumes. Records each request's path
 * and Range header.
 */
export class ModelFileServer {
  readonly requests: Array<{ path: string; range: string | null }> = [];
  private readonly server: Server;
  private readonly files = new Map<string, ServedFile>();

  constructor() {
    this.server = createServer((req, res) => this.answer(req, res));
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  serve(name: string, file: ServedFile): void {
    this.files.set(`/ggml-${name}.bin`, file);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const path = req.url ?? '';
    const range = req.headers.range ?? null;
    this.requests.push({ path, range });
    res.on('error', () => undefined); // clients that give up mid-body are part of the tests
    const file = this.files.get(path);
    if (!file) return void res.writeHead(404).end('not found');
    const size = file.bytes.length;
    let start = 0;
    const from = file.ignoreRange ? undefined : /^bytes=(\d+)-$/.exec(range ?? '')?.[1];
    if (from !== undefined) {
      start = Number(from);
      if (start >= size) return void res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
      res.writeHead(206, { 'content-length': String(size - start), 'content-range': `bytes ${start}-${size - 1}/${size}`, 'accept-ranges': 'bytes' });
    } else {
      res.writeHead(200, { 'content-length': String(size), 'accept-ranges': 'bytes' });
    }
    const cutAt = file.cutOnceAfter;
    file.cutOnceAfter = undefined;
    const end = cutAt !== undefined ? Math.min(size, start + cutAt) : size;
    let offset = start;
    const pump = (): void => {
      while (offset < end) {
        const piece = file.bytes.subarray(offset, Math.min(end, offset + 64 * 1024));
        offset += piece.length;
        const more = res.write(piece);
        if (file.pieceDelayMs) return void setTimeout(pump, file.pieceDelayMs);
        if (!more) return void res.once('drain', pump);
      }
      if (cutAt !== undefined) res.destroy(); // the promised length never arrives
      else res.end();
    };
    pump();
  }
}
