import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startS3rver } from '../medium/support/local-aws';

/** Static credentials for every local stand-in: s3rver and the SageMaker runtime stand-in accept any signed request. */
export const TEST_CREDENTIALS = LOCAL_CREDENTIALS;
export const TEST_REGION = LOCAL_REGION;

export interface LocalS3 {
  readonly endpoint: string;
  /** A client the way our code builds one for a local endpoint: path-style addressing. */
  client(): S3Client;
  /** Keys under a prefix, sorted. */
  keys(bucket: string, prefix?: string): Promise<string[]>;
  stop(): Promise<void>;
}

/** s3rver (a real S3 wire-protocol server on disk) on a free port, with the given buckets created. */
export async function startLocalS3(buckets: readonly string[]): Promise<LocalS3> {
  const server = await startS3rver();
  const client = () => new S3Client({ region: TEST_REGION, endpoint: server.endpoint, forcePathStyle: true, credentials: TEST_CREDENTIALS });
  const admin = client();
  for (const bucket of buckets) await admin.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    endpoint: server.endpoint,
    client,
    keys: async (bucket, prefix) => {
      const listing = await admin.send(new ListObjectsV2Command({ Bucket: bucket, ...(prefix ? { Prefix: prefix } : {}) }));
      return (listing.Contents ?? []).map((object) => object.Key ?? '').sort();
    },
    stop: async () => {
      admin.destroy();
      await server.stop();
    },
  };
}
