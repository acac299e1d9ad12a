export interface S3ObjectRef {
  readonly bucket: string;
  readonly key: string;
}

/** `s3://bucket/key` → its parts; SageMaker names async inputs and outcomes this way. */
export function parseS3Uri(uri: string): S3ObjectRef {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match) throw new Error(`not an s3:// object URI: ${uri}`);
  return { bucket: match[1] as string, key: match[2] as string };
}

export function s3Uri({ bucket, key }: S3ObjectRef): string {
  return `s3://${bucket}/${key}`;
}
