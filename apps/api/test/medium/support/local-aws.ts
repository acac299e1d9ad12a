import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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
  putsWholeOrNotAtAll((server as unknown as { store: FilesystemStore }).store);
  const { port } = (await server.run()) as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** The parts of s3rver's FilesystemStore (s3rver 3) that putsWholeOrNotAtAll uses. */
interface FilesystemStore {
  getResourcePath(bucket: string, key: string, resource: string): string;
  putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5: string): Promise<void>;
  putObject(object: { bucket: string; key: string; metadata: Record<string, string>; content: Buffer | NodeJS.ReadableStream }): Promise<{ size: number; md5: string }>;
}

/**
 * S3 makes an object visible whole or not at all. s3rver answers a PUT before the object's file is flushed (its
 * putObject resolves right after `writeStream.end()`), and an object's size is its file's size at the moment, so a GET
 * just after a PUT could read it cut short: CI saw the SageMaker async path fail with "The model server answered with
 * something that is not JSON" reading a ten-minute transcript the stand-in had just written. Here an object's
 * metadata is written first and its file is written aside and renamed into place, so a reader sees all of it or none.
 */
function putsWholeOrNotAtAll(store: FilesystemStore): void {
  store.putObject = async (object) => {
    const content = Buffer.isBuffer(object.content) ? object.content : await readAll(object.content);
    const md5 = createHash('md5').update(content).digest('hex');
    const objectPath = store.getResourcePath(object.bucket, object.key, 'object');
    await mkdir(dirname(objectPath), { recursive: true });
    await store.putMetadata(object.bucket, object.key, object.metadata, md5);
    // Listings only count files ending in `._S3rver_object`: the staged file is not an object yet.
    const staged = `${objectPath}.staged-${randomUUID()}`;
    await writeFile(staged, content);
    await rename(staged, objectPath);
    return { size: content.length, md5 };
  };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
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
