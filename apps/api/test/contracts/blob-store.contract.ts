import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobNotFoundError, type BlobStore } from '../../src/storage/blob-store.port';

export interface BlobStoreHarness {
  readonly store: BlobStore;
  readonly dispose: () => Promise<void>;
}

/** What every BlobStore adapter must do, against a real directory or a real (local) S3 server. */
export function blobStoreContract(name: string, makeHarness: () => Promise<BlobStoreHarness>): void {
  describe(`BlobStore contract: ${name}`, () => {
    let harness: BlobStoreHarness;
    let store: BlobStore;
    let scratch: string;

    beforeEach(async () => {
      harness = await makeHarness();
      store = harness.store;
      scratch = mkdtempSync(join(tmpdir(), 'blob-contract-'));
    });

    afterEach(async () => {
      await harness?.dispose();
      rmSync(scratch, { recursive: true, force: true });
    });

    it('round-trips bytes and reports existence', async () => {
      expect(await store.exists('jobs/a/result.json')).toBe(false);
      await store.putBytes('jobs/a/result.json', '{"text":"hello"}');
      expect(await store.exists('jobs/a/result.json')).toBe(true);
      expect((await store.getBytes('jobs/a/result.json')).toString('utf8')).toBe('{"text":"hello"}');
    });

    it('streams a multi-megabyte file in and out unchanged', async () => {
      const source = join(scratch, 'in.bin');
      const bytes = randomBytes(3 * 1024 * 1024 + 17);
      writeFileSync(source, bytes);
      await store.putFile('jobs/a/audio', source);
      const target = join(scratch, 'out.bin');
      await store.getToFile('jobs/a/audio', target);
      expect(readFileSync(target).equals(bytes)).toBe(true);
      const chunks: Buffer[] = [];
      for await (const chunk of await store.openRead('jobs/a/audio')) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    });

    it('overwrites an object as a whole', async () => {
      await store.putBytes('jobs/a/result.json', 'a much longer first version');
      await store.putBytes('jobs/a/result.json', 'short');
      expect((await store.getBytes('jobs/a/result.json')).toString()).toBe('short');
    });

    it('answers BlobNotFoundError for a missing object', async () => {
      await expect(store.getBytes('jobs/none/result.json')).rejects.toBeInstanceOf(BlobNotFoundError);
      await expect(store.openRead('jobs/none/result.json')).rejects.toBeInstanceOf(BlobNotFoundError);
      await expect(store.getToFile('jobs/none/audio', join(scratch, 'x'))).rejects.toBeInstanceOf(BlobNotFoundError);
    });

    it('lists and deletes by prefix, leaving other keys alone', async () => {
      for (const key of ['jobs/a/audio', 'jobs/a/windows/p-00001.json', 'jobs/a/windows/p-00000.json', 'jobs/ab/audio', 'jobs/b/audio']) {
        await store.putBytes(key, key);
      }
      expect(await store.list('jobs/a/')).toEqual(['jobs/a/audio', 'jobs/a/windows/p-00000.json', 'jobs/a/windows/p-00001.json']);
      expect(await store.list('jobs/a/windows/')).toEqual(['jobs/a/windows/p-00000.json', 'jobs/a/windows/p-00001.json']);
      await store.deletePrefix('jobs/a/');
      expect(await store.list('jobs/a/')).toEqual([]);
      expect(await store.list('jobs/')).toEqual(['jobs/ab/audio', 'jobs/b/audio']);
      await store.delete('jobs/b/audio');
      await store.delete('jobs/b/audio');
      expect(await store.exists('jobs/b/audio')).toBe(false);
    });

    it('refuses keys that could escape or confuse the namespace', async () => {
      for (const key of ['../etc/passwd', '/abs', 'jobs/../x', 'jobs//x', 'jobs/a b']) {
        await expect(store.putBytes(key, 'x')).rejects.toThrow(/unsafe blob key/);
      }
    });
  });
}
