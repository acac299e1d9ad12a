import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { sendError, sendInvocationTimeout, sendModelError, sendPayloadTooLarge, type WireErrorType } from './sagemaker-wire';

export type StandInEndpoint =
  | { readonly kind: 'realtime' }
  /** Paths as in an endpoint config's AsyncInferenceConfig.OutputConfig: `s3://bucket/prefix`. */
  | { readonly kind: 'async'; readonly outputPath: string; readonly failurePath?: string };

export interface SageMakerStandInOptions {
  /** The real model container (model-container/serve): what SageMaker forwards every invocation to. */
  readonly modelServerUrl: string;
  readonly endpoints: Readonly<Record<string, StandInEndpoint>>;
  /** Where async inputs are read and outcomes written; needed for async endpoints. */
  readonly s3?: S3Client;
  /** The region the caller must sign for. */
  readonly region: string;
  /** SageMaker cuts a real-time invocation after 60 s. */
  readonly realtimeTimeoutMs?: number;
}

export interface ReceivedCall {
  readonly operation: 'InvokeEndpoint' | 'InvokeEndpointAsync' | 'unknown';
  readonly endpoint: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly bodyBytes: number;
  /** What the stand-in answered with: an HTTP status. */
  status?: number;
}

export type InjectableFault = Extract<WireErrorType, 'ThrottlingException' | 'ModelNotReadyException' | 'ServiceUnavailable' | 'InternalFailure'>;

export interface SageMakerStandIn {
  readonly url: string;
  /** Every request, in order of arrival. */
  readonly calls: ReceivedCall[];
  /** The next `count` requests answer `fault` before any other check, as an overloaded service would. */
  inject(fault: InjectableFault, count: number): void;
  /** Resolves when every accepted async invocation has written its outcome. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

const REALTIME_PAYLOAD_LIMIT = 6 * 1024 * 1024;
const PATH = /^\/endpoints\/([^/]+)\/(invocations|async-invocations)$/;
// SigV4 as the SDK sends it; the signature itself is not recomputed (the SDK is the real one), the scope is checked.
const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/;

/**
 * A local server that speaks the SageMaker runtime's wire protocol — InvokeEndpoint and InvokeEndpointAsync — and
 * forwards each invocation to the real model container, the way a SageMaker endpoint does: only Content-Type,
 * Accept and X-Amzn-SageMaker-Custom-Attributes reach the container; its non-2xx answers come back as ModelError;
 * async calls read their input from S3 and write the container's answer to the output or failure path.
 */
export async function startSageMakerStandIn(options: SageMakerStandInOptions): Promise<SageMakerStandIn> {
  const calls: ReceivedCall[] = [];
  const faults: Array<{ fault: InjectableFault; remaining: number }> = [];
  const background = new Set<Promise<void>>();
  const shutdown = new AbortController();

  const server = createServer((request, response) => {
    void handle(request, response).catch((error: Error) => {
      if (!response.headersSent) sendError(response, 'InternalFailure', `stand-in failure: ${error.message}`);
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const match = PATH.exec(new URL(request.url ?? '/', 'http://stand-in').pathname);
    const headers = lowerCaseHeaders(request);
    const call: ReceivedCall = {
      operation: match?.[2] === 'invocations' ? 'InvokeEndpoint' : match ? 'InvokeEndpointAsync' : 'unknown',
      endpoint: decodeURIComponent(match?.[1] ?? ''),
      headers,
      bodyBytes: body.length,
    };
    calls.push(call);
    response.on('finish', () => (call.status = response.statusCode));

    const auth = AUTHORIZATION.exec(headers['authorization'] ?? '');
    if (!auth || !headers['x-amz-date']) return sendError(response, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
    if (auth[1] !== options.region || auth[2] !== 'sagemaker') {
      return sendError(response, 'InvalidSignatureException', `Credential should be scoped to a valid region and service 'sagemaker' in '${options.region}'.`);
    }
    if (request.method !== 'POST' || !match) return sendError(response, 'UnknownOperationException', 'Unknown operation');

    const fault = faults[0];
    if (fault) {
      if (--fault.remaining <= 0) faults.shift();
      return sendError(response, fault.fault, faultMessage(fault.fault, call.endpoint));
    }

    const endpoint = options.endpoints[call.endpoint];
    if (!endpoint) return sendError(response, 'ValidationError', `Endpoint ${call.endpoint} of account 123456789012 not found.`);
    if (call.operation === 'InvokeEndpoint') {
      if (endpoint.kind !== 'realtime') {
        return sendError(response, 'ValidationError', `Endpoint ${call.endpoint} is an asynchronous inference endpoint; use InvokeEndpointAsync.`);
      }
      if (body.length > REALTIME_PAYLOAD_LIMIT) return sendPayloadTooLarge(response, REALTIME_PAYLOAD_LIMIT);
      return invokeRealtime(call.endpoint, headers, body, response);
    }
    if (endpoint.kind !== 'async') {
      return sendError(response, 'ValidationError', `Endpoint ${call.endpoint} is not an asynchronous inference endpoint; use InvokeEndpoint.`);
    }
    return acceptAsync(endpoint, headers, response);
  }

  async function invokeRealtime(name: string, headers: Record<string, string>, body: Buffer, response: ServerResponse): Promise<void> {
    const timeout = AbortSignal.timeout(options.realtimeTimeoutMs ?? 60_000);
    let answer: Response;
    try {
      answer = await forward(body, headers['content-type'], headers['accept'], headers['x-amzn-sagemaker-custom-attributes'], timeout);
    } catch (error) {
      if (timeout.aborted) return sendInvocationTimeout(response, name);
      return sendModelError(response, name, 0, `Could not reach the container: ${(error as Error).message}`);
    }
    const text = Buffer.from(await answer.arrayBuffer());
    if (!answer.ok) return sendModelError(response, name, answer.status, text.toString('utf8'));
    response.writeHead(200, {
      'x-amzn-requestid': randomUUID(),
      // SageMaker answers with the variant that ran: the one TargetVariant named, else the endpoint's (one) variant.
      'x-amzn-invoked-production-variant': headers['x-amzn-sagemaker-target-variant'] ?? 'AllTraffic',
      'content-type': answer.headers.get('content-type') ?? 'application/octet-stream',
      'content-length': text.length,
    });
    response.end(text);
  }

  function acceptAsync(endpoint: Extract<StandInEndpoint, { kind: 'async' }>, headers: Record<string, string>, response: ServerResponse): void {
    const inputLocation = headers['x-amzn-sagemaker-inputlocation'];
    if (!inputLocation) {
      return sendError(response, 'ValidationError', "1 validation error detected: Value null at 'inputLocation' failed to satisfy constraint: Member must not be null");
    }
    const timeoutSeconds = Number(headers['x-amzn-sagemaker-invocationtimeoutseconds'] ?? 900);
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 3600) {
      return sendError(response, 'ValidationError', `Value ${timeoutSeconds} at 'invocationTimeoutSeconds' failed to satisfy constraint: Member must have value between 1 and 3600`);
    }
    if (!options.s3) return sendError(response, 'InternalFailure', 'the stand-in has no S3 for async endpoints');
    const id = randomUUID();
    const output = `${endpoint.outputPath.replace(/\/+$/, '')}/${id}.out`;
    const failure = endpoint.failurePath ? `${endpoint.failurePath.replace(/\/+$/, '')}/${id}-error.out` : undefined;
    const work = processAsync(options.s3, inputLocation, output, failure, headers, timeoutSeconds).catch(() => undefined);
    background.add(work);
    void work.finally(() => background.delete(work));
    const body = JSON.stringify({ InferenceId: headers['x-amzn-sagemaker-inference-id'] ?? id });
    response.writeHead(202, {
      'x-amzn-requestid': randomUUID(),
      'x-amzn-sagemaker-outputlocation': output,
      ...(failure ? { 'x-amzn-sagemaker-failurelocation': failure } : {}),
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    response.end(body);
  }

  async function processAsync(s3: S3Client, input: string, output: string, failure: string | undefined, headers: Record<string, string>, timeoutSeconds: number): Promise<void> {
    const write = async (uri: string | undefined, body: Buffer | string, contentType: string) => {
      if (!uri) return; // no failure path configured: SageMaker only notifies (SNS), nothing lands in S3
      const { bucket, key } = splitS3(uri);
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
    };
    let payload: Buffer;
    try {
      const { bucket, key } = splitS3(input);
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: shutdown.signal });
      payload = Buffer.from((await object.Body?.transformToByteArray()) ?? new Uint8Array());
    } catch (error) {
      return write(failure, `Failed to download the input from ${input}: ${(error as Error).name}`, 'text/plain');
    }
    const timeout = AbortSignal.timeout(timeoutSeconds * 1000);
    try {
      const answer = await forward(payload, headers['x-amzn-sagemaker-content-type'], headers['x-amzn-sagemaker-accept'], headers['x-amzn-sagemaker-custom-attributes'], AbortSignal.any([timeout, shutdown.signal]));
      const body = Buffer.from(await answer.arrayBuffer());
      const contentType = answer.headers.get('content-type') ?? 'application/octet-stream';
      await (answer.ok ? write(output, body, contentType) : write(failure, body, contentType));
    } catch (error) {
      if (shutdown.signal.aborted) return;
      const said = timeout.aborted ? `Inference timed out after ${timeoutSeconds} seconds.` : `Could not reach the container: ${(error as Error).message}`;
      await write(failure, said, 'text/plain');
    }
  }

  function forward(body: Buffer, contentType: string | undefined, accept: string | undefined, attributes: string | undefined, signal: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { 'content-type': contentType ?? 'application/octet-stream' };
    if (accept) headers['accept'] = accept;
    if (attributes) headers['x-amzn-sagemaker-custom-attributes'] = attributes;
    return fetch(new URL('/invocations', options.modelServerUrl), { method: 'POST', body: body as unknown as BodyInit, headers, signal });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    inject: (fault, count) => void faults.push({ fault, remaining: count }),
    settled: async () => {
      while (background.size > 0) await Promise.all([...background]);
    },
    stop: async () => {
      shutdown.abort();
      await Promise.all([...background]);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function faultMessage(fault: InjectableFault, endpoint: string): string {
  switch (fault) {
    case 'ThrottlingException':
      return 'Rate exceeded';
    case 'ModelNotReadyException':
      return `Model for endpoint ${endpoint}'s production variant AllTraffic is not ready. Wait and try again.`;
    case 'ServiceUnavailable':
      return 'The service is unavailable. Try again later.';
    case 'InternalFailure':
      return 'The request processing has failed because of an unknown error, exception or failure.';
  }
}

function splitS3(uri: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match) throw new Error(`not an S3 URI: ${uri}`);
  return { bucket: match[1] as string, key: match[2] as string };
}

function lowerCaseHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
