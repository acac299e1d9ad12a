import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dynalite from 'dynalite';
import S3rver from 's3rver';

/** Credentials the local servers accept; real AWS never sees them. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
export const LOCAL_REGION = 'us-east-1';

export interface LocalServer {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** dynalite: a DynamoDB implementation (on LevelDB in memory) that speaks the real wire protocol. */
export async function startDynalite(): Promise<LocalServer> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** s3rver: an S3 implementation on a local directory that speaks the real REST protocol. */
export async function startS3rver(): Promise<LocalServer> {
  const directory = mkdtempSync(join(tmpdir(), 's3rver-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory });
  const { port } = (await server.run()) as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** API environment for JOB_STORE=dynamodb and BLOB_STORE=s3 against local stand-ins, with a fresh table and bucket. */
export function localAwsStoresEnv(endpoints: { dynamodb: string; s3: string }): Record<string, string> {
  const suffix = randomUUID().slice(0, 8);
  return {
    JOB_STORE: 'dynamodb',
    JOBS_TABLE: `jobs-${suffix}`,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    BLOB_STORE: 's3',
    BLOB_BUCKET: `blobs-${suffix}`,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  };
}
