import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the whisper.cpp model repository (WHISPER_DOWNLOAD_BASE_URL): serves real weight files as
 * `/ggml-<name>.bin`, in 64 KiB pieces with a pause between them, so a download lasts long enough for the console
 * to show its progress moving. Whole-file answers only (no Range): the API's resume is covered by its own tests.
 */
export class SlowModelMirror {
  private readonly files = new Map<string, Buffer>();
  private readonly server: Server = createServer((req, res) => {
    res.on('error', () => undefined); // the API may abort a transfer (a delete, a shutdown)
    const bytes = this.files.get(req.url ?? '');
    if (!bytes) return void res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-length': String(bytes.length), 'content-type': 'application/octet-stream' });
    let offset = 0;
    const pump = () => {
      if (res.destroyed) return;
      if (offset >= bytes.length) return void res.end();
      const piece = bytes.subarray(offset, offset + 64 * 1024);
      offset += piece.length;
      res.write(piece);
      setTimeout(pump, this.pieceDelayMs);
    };
    pump();
  });

  constructor(private readonly pieceDelayMs: number) {}

  serve(name: string, bytes: Buffer): void {
    this.files.set(`/ggml-${name}.bin`, bytes);
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
