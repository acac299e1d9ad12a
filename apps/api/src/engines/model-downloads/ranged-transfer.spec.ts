import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { TransferError, transferToPart } from './ranged-transfer';

/** Transfers whose body fails at once: the failure is reported only once the .part file is closed. */
describe('transferToPart', () => {
  let dir: string;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ranged-transfer-'));
    // Announces a megabyte, sends a few bytes, and drops the connection.
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-length': String(1024 * 1024) });
      res.write(Buffer.alloc(16));
      setImmediate(() => res.socket?.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/model.bin`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('does not recreate a .part the caller removed after hearing of the failure', async () => {
    for (let round = 0; round < 20; round += 1) {
      const part = path.join(dir, `round-${round}.bin.part`);
      await expect(transferToPart(url, part, () => undefined)).rejects.toBeInstanceOf(TransferError);
      rmSync(part, { force: true });
      await sleep(20);
      expect(existsSync(part)).toBe(false);
    }
  });
});
