import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blobStoreContract } from '../../../test/contracts/blob-store.contract';
import { LocalBlobStore } from './local-blob-store';

blobStoreContract('local directory', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'blobs-'));
  const store = new LocalBlobStore(join(dir, 'blobs'));
  await store.init();
  return { store, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
});

describe('LocalBlobStore', () => {
  it('leaves no temporary files behind and no empty folders after a prefix delete', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'blobs-'));
    try {
      const store = new LocalBlobStore(dir);
      await store.init();
      await store.putBytes('jobs/x/audio', 'a');
      await store.putBytes('jobs/x/windows/p-00000.json', 'b');
      expect(readdirSync(join(dir, 'jobs/x')).sort()).toEqual(['audio', 'windows']);
      await store.deletePrefix('jobs/x/');
      expect(readdirSync(join(dir, 'jobs'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
