import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { hashSecret, parseApiKey } from '../../src/auth/api-key';
import { DynamoDbApiKeyStore } from '../../src/storage/dynamodb/dynamodb-api-key-store';
import { type CliRun, runApiKeyCli } from '../support/apikey-cli';
import { LOCAL_CREDENTIALS, LOCAL_REGION, type LocalServer, startDynalite } from './support/local-aws';

// Each CLI run starts node with an on-the-fly TypeScript loader: seconds apiece on a busy 2-core machine.
jest.setTimeout(240_000);

const apikey = runApiKeyCli;
type Run = CliRun;

interface ListedKey {
  keyId: string;
  name: string;
  scopes: string[];
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

const listed = (run: Run) => JSON.parse(run.stdout) as ListedKey[];

/** The life of a key, from the command line, against each store. */
function cliLifecycle(storeEnv: () => Record<string, string>, readHash: (keyId: string) => Promise<string | undefined>) {
  it('create prints the key alone on stdout, once; the store keeps only its hash; list and revoke work by id', async () => {
    const env = storeEnv();
    const created = await apikey(['create', '--name', 'ci bot', '--scope', 'transcribe', '--scope', 'jobs:read', '--scope', 'transcribe'], env);
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    expect(created.stdout).toBe(`${key}\n`);
    const parsed = parseApiKey(key);
    if (!parsed) throw new Error(`not a key on stdout: ${created.stdout}`);
    const { keyId, secret } = parsed;
    expect(created.stderr).toContain(keyId);
    expect(created.stderr).toContain('shown only this once');
    expect(created.stderr).not.toContain(secret);
    expect(await readHash(keyId)).toBe(hashSecret(secret));

    const json = await apikey(['list', '--json'], env);
    expect(json.code).toBe(0);
    expect(listed(json)).toEqual([{ keyId, name: 'ci bot', scopes: ['transcribe', 'jobs:read'], createdAt: expect.any(String), revokedAt: null, lastUsedAt: null }]);
    const table = await apikey(['list'], env);
    expect(table.stdout).toMatch(new RegExp(`^KEY ID .*\\n${keyId} +active +transcribe,jobs:read .* never +ci bot\\n$`));
    for (const output of [json.stdout, json.stderr, table.stdout, table.stderr]) {
      expect(output).not.toContain(secret);
      expect(output).not.toContain(hashSecret(secret));
    }

    const revoked = await apikey(['revoke', keyId], env);
    expect(revoked.code).toBe(0);
    expect(revoked.stderr).toContain(`Revoked API key ${keyId}`);
    expect(listed(await apikey(['list', '--json'], env))[0]?.revokedAt).toEqual(expect.any(String));
    const again = await apikey(['revoke', keyId], env);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('already revoked');
  });

  it('fails clearly, with a non-zero exit and nothing stored, on bad scopes, missing names and unknown ids', async () => {
    const env = storeEnv();
    const badScope = await apikey(['create', '--name', 'x', '--scope', 'root'], env);
    expect(badScope).toMatchObject({ code: 64, stdout: '' });
    expect(badScope.stderr).toContain('"root" is not a scope; scopes are transcribe, jobs:read, admin.');
    const noName = await apikey(['create', '--scope', 'admin'], env);
    expect(noName).toMatchObject({ code: 64, stdout: '' });
    expect(noName.stderr).toContain('create needs --name');
    const noScope = await apikey(['create', '--name', 'x'], env);
    expect(noScope.code).toBe(64);
    const unknown = await apikey(['revoke', 'abcdefghijkl'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No API key has the id "abcdefghijkl"');
    const notAnId = await apikey(['revoke', 'abc'], env);
    expect(notAnId.code).toBe(64);
    const nothing = await apikey([], env);
    expect(nothing.code).toBe(64);
    expect(nothing.stderr).toContain('usage:');
    expect(listed(await apikey(['list', '--json'], env))).toEqual([]);
  });
}

describe('npm run apikey (SQLite: DATA_DIR/jobs.sqlite)', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'apikey-cli-'));
  });

  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  cliLifecycle(
    // Settings the API would reject (no engine endpoint, a bad port) do not matter: only storage is validated.
    () => ({ DATA_DIR: dataDir, ENGINE: 'sagemaker', PORT: 'not-a-port' }),
    async (keyId) => {
      expect(readdirSync(dataDir)).toContain('jobs.sqlite');
      const file = readFileSync(join(dataDir, 'jobs.sqlite')).toString('latin1') + readWal(dataDir);
      return /[0-9a-f]{64}/.exec(file.slice(file.indexOf(keyId)))?.[0];
    },
  );
});

function readWal(dir: string): string {
  try {
    return readFileSync(join(dir, 'jobs.sqlite-wal')).toString('latin1');
  } catch {
    return '';
  }
}

describe('npm run apikey (DynamoDB: items of the jobs table, dynalite)', () => {
  let dynamo: LocalServer;
  let table: string;

  beforeAll(async () => {
    dynamo = await startDynalite();
  });

  afterAll(async () => dynamo?.stop());

  beforeEach(() => {
    table = `jobs-${randomUUID()}`;
  });

  const env = () => ({
    JOB_STORE: 'dynamodb',
    JOBS_TABLE: table,
    AWS_REGION: LOCAL_REGION,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  });

  cliLifecycle(env, async (keyId) => {
    const store = new DynamoDbApiKeyStore({ table, region: LOCAL_REGION, endpoint: dynamo.endpoint, credentials: LOCAL_CREDENTIALS });
    try {
      return (await store.get(keyId))?.hash;
    } finally {
      await store.close();
    }
  });

  it('names the missing storage variables (exit 78) before touching anything', async () => {
    const run = await apikey(['list'], { JOB_STORE: 'dynamodb' });
    expect(run.code).toBe(78);
    expect(run.stderr).toContain('JOBS_TABLE: is required when JOB_STORE=dynamodb');
    expect(run.stderr).toContain('AWS_REGION: is required when JOB_STORE=dynamodb');
  });
});
