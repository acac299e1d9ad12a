import { randomUUID } from 'node:crypto';
import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { InvokeEndpointAsyncCommand, type SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { Logger } from '@nestjs/common';
import type { TranscriptionResult } from '@speech/contracts';
import { DomainError } from '../../common/domain-error';
import { currentRequestId } from '../../common/request-context';
import type { SageMakerAsyncSection } from '../../config/app-config';
import type { InvocationPayload } from '../remote/invocation-request';
import { parseRemoteResult } from '../remote/remote-result';
import { AsyncOutcomePoller } from './async-outcome-poller';
import { asyncFailureError } from './sagemaker-errors';
import { s3Uri } from './s3-uri';

/**
 * One InvokeEndpointAsync call end to end: upload the payload, invoke with its S3 location, wait for the output or
 * failure object, and delete the input whatever happened (aborts included) so audio does not linger in S3.
 */
export class AsyncInvoker {
  private readonly logger = new Logger('SageMakerAsync');

  constructor(
    private readonly runtime: SageMakerRuntimeClient,
    private readonly s3: S3Client,
    private readonly section: SageMakerAsyncSection,
    private readonly poller: AsyncOutcomePoller = new AsyncOutcomePoller(s3),
  ) {}

  /** The S3 key an input with this id is uploaded to. */
  inputKey(id: string, payload: Pick<InvocationPayload, 'contentType'>): string {
    const name = `${id}.${payload.contentType === 'audio/flac' ? 'flac' : 'json'}`;
    return [this.section.prefix, 'input', name].filter(Boolean).join('/');
  }

  async invoke(payload: InvocationPayload, signal: AbortSignal): Promise<TranscriptionResult> {
    // Unique per call (windows of one request share its request id); the log line joins the two.
    const id = randomUUID();
    this.logger.log({ msg: 'async invocation', inferenceId: id, requestId: currentRequestId(), bytes: payload.body.length });
    const input = { bucket: this.section.bucket, key: this.inputKey(id, payload) };
    try {
      await this.s3.send(
        new PutObjectCommand({ Bucket: input.bucket, Key: input.key, Body: payload.body, ContentType: payload.contentType }),
        { abortSignal: signal },
      );
      const accepted = await this.runtime.send(
        new InvokeEndpointAsyncCommand({
          EndpointName: this.section.endpointName,
          InputLocation: s3Uri(input),
          ContentType: payload.contentType,
          Accept: 'application/json',
          InvocationTimeoutSeconds: this.section.invocationTimeoutSeconds,
          InferenceId: id,
          ...(payload.customAttributes !== undefined ? { CustomAttributes: payload.customAttributes } : {}),
        }),
        { abortSignal: signal },
      );
      if (!accepted.OutputLocation) {
        throw new DomainError('ENGINE_FAILED', 'SageMaker accepted the async call but named no OutputLocation.');
      }
      const outcome = await this.poller.waitFor({ output: accepted.OutputLocation, failure: accepted.FailureLocation }, signal);
      await this.poller.discard(outcome).catch((error: Error) => this.logger.warn({ msg: 'could not delete the async outcome', location: outcome.location, error: error.message }));
      if (outcome.kind === 'failure') throw asyncFailureError(outcome.body);
      return parseRemoteResult(outcome.body);
    } finally {
      // Not tied to the signal: an aborted call must still remove its upload.
      await this.s3
        .send(new DeleteObjectCommand({ Bucket: input.bucket, Key: input.key }))
        .catch((error: Error) => this.logger.warn({ msg: 'could not delete the async input', key: input.key, error: error.message }));
    }
  }
}
