import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiKeyStoreContract } from '../../../test/contracts/api-key-store.contract';
import { SqliteApiKeyStore } from './sqlite-api-key-store';
import { SqliteJobStore } from './sqlite-job-store';

apiKeyStoreContract('SQLite (a table in jobs.sqlite)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-keys-'));
  const path = join(dir, 'jobs.sqlite');
  const jobs = new SqliteJobStore(path);
  await jobs.init();
  const store = new SqliteApiKeyStore(path);
  await store.init();
  return {
    store,
    jobs,
    dispose: async () => {
      await store.close();
      await jobs.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
