import { DeleteObjectCommand, GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { parseS3Uri } from './s3-uri';

/** Where SageMaker will write the outcome of one InvokeEndpointAsync call. */
export interface AsyncLocations {
  readonly output: string;
  /** Absent when the endpoint config has no S3FailurePath: then a failure shows only as a missing output. */
  readonly failure?: string;
}

export interface AsyncOutcome {
  readonly kind: 'output' | 'failure';
  readonly location: string;
  readonly body: string;
}

export interface PollBackoff {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor: number;
}

/** Quick first looks for short calls, then no more than one pair of GETs every 10 s for long ones. */
export const DEFAULT_POLL_BACKOFF: PollBackoff = { initialMs: 500, maxMs: 10_000, factor: 1.5 };

/**
 * Reads the outcome of async inferences from S3. Its own class so that async jobs can look once per tick
 * (`check`) instead of holding a call open (`waitFor`).
 */
export class AsyncOutcomePoller {
  constructor(
    private readonly s3: S3Client,
    private readonly backoff: PollBackoff = DEFAULT_POLL_BACKOFF,
  ) {}

  /** One look at both locations; undefined while neither object exists. */
  async check(locations: AsyncLocations, signal?: AbortSignal): Promise<AsyncOutcome | undefined> {
    const output = await this.read(locations.output, signal);
    if (output !== undefined) return { kind: 'output', location: locations.output, body: output };
    if (!locations.failure) return undefined;
    const failure = await this.read(locations.failure, signal);
    return failure !== undefined ? { kind: 'failure', location: locations.failure, body: failure } : undefined;
  }

  /** Looks with growing pauses until an outcome exists; rejects with `signal.reason` as soon as the signal aborts. */
  async waitFor(locations: AsyncLocations, signal: AbortSignal): Promise<AsyncOutcome> {
    let pause = this.backoff.initialMs;
    for (;;) {
      signal.throwIfAborted();
      const outcome = await this.check(locations, signal);
      if (outcome) return outcome;
      await sleep(pause, signal);
      pause = Math.min(this.backoff.maxMs, pause * this.backoff.factor);
    }
  }

  /** The outcome is copied into our result; keeping transcripts in the endpoint's bucket would only leak them. */
  async discard(outcome: AsyncOutcome): Promise<void> {
    const { bucket, key } = parseS3Uri(outcome.location);
    await this.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  }

  private async read(uri: string, signal?: AbortSignal): Promise<string | undefined> {
    const { bucket, key } = parseS3Uri(uri);
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
      return (await object.Body?.transformToString('utf8')) ?? '';
    } catch (error) {
      // Without s3:ListBucket S3 answers 403 for a missing key too; that is a permission problem, not "not yet".
      const name = (error as { name?: string }).name;
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (name === 'NoSuchKey' || name === 'NotFound' || status === 404) return undefined;
      throw error;
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
