import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jobStoreContract } from '../../../test/contracts/job-store.contract';
import { SqliteJobStore } from './sqlite-job-store';

jobStoreContract('SQLite (one file, WAL)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-jobs-'));
  const path = join(dir, 'jobs.sqlite');
  const store = new SqliteJobStore(path);
  await store.init();
  return {
    store,
    twin: async () => {
      const twin = new SqliteJobStore(path);
      await twin.init();
      return twin;
    },
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
