import { readFile, rm } from 'node:fs/promises';
import { InvokeEndpointCommand } from '@aws-sdk/client-sagemaker-runtime';
import { Logger } from '@nestjs/common';
import type { TranscriptionResult } from '@speech/contracts';
import type { DomainError } from '../../common/domain-error';
import { currentRequestId } from '../../common/request-context';
import type { SageMakerSection } from '../../config/app-config';
import type { SageMakerTarget } from '../../config/model-maps';
import { encodeFlac } from '../remote/flac-encoder';
import { type InvocationPayload, invocationPayload } from '../remote/invocation-request';
import { parseRemoteResult } from '../remote/remote-result';
import { type EngineDescription, type EngineHealth, type EngineRequest, TranscriptionEngine } from '../transcription-engine.port';
import { AsyncInvoker } from './async-invoker';
import { chooseRoute, type InvocationRoute } from './invocation-route';
import { createSageMakerClients, type SageMakerClients } from './sagemaker-clients';
import { sageMakerError } from './sagemaker-errors';

export interface SageMakerEngineOptions {
  readonly concurrency: number;
  readonly ffmpegPath: string;
  /** Further models by name (SAGEMAKER_MODELS): each one's endpoint and production variant. */
  readonly models?: ReadonlyMap<string, SageMakerTarget>;
}

interface LastCall {
  readonly at: string;
  readonly route: InvocationRoute | 'none';
  readonly outcome: 'ok' | DomainError['code'];
  readonly message?: string;
}

/** How long a credentials check stays fresh for /health: resolving them may mean a metadata-service round trip. */
const CREDENTIALS_CHECK_TTL_MS = 60_000;

/**
 * The `sagemaker` engine: our model container behind a SageMaker endpoint. Payloads within 6 MiB go through
 * InvokeEndpoint; larger ones (or all, in async mode) through InvokeEndpointAsync with the input in S3.
 *
 * Health is honest about what it can know without side effects: the runtime API has no ping, and DescribeEndpoint
 * would need the control-plane client and sagemaker:DescribeEndpoint. So `ready` means "configured, with AWS
 * credentials that resolve"; the endpoint's real state shows in the outcome of recent calls (in `detail`) and in
 * the endpoint's CloudWatch alarms. Readiness never flips on call failures: a load balancer would then take every
 * API task out of service and no call could ever show that the endpoint recovered.
 */
export class SageMakerEngine extends TranscriptionEngine {
  private readonly logger = new Logger('SageMakerEngine');
  private readonly asyncInvoker?: AsyncInvoker;
  private lastCall?: LastCall;
  private readonly calls = { realtime: 0, async: 0, failed: 0 };
  private credentials?: { checkedAt: number; error?: string };

  constructor(
    private readonly section: SageMakerSection,
    private readonly options: SageMakerEngineOptions,
    private readonly clients: SageMakerClients = createSageMakerClients(section),
  ) {
    super();
    if (section.async && clients.s3) this.asyncInvoker = new AsyncInvoker(clients.runtime, clients.s3, section.async);
  }

  describe(): EngineDescription {
    const endpoints = [this.section.realtimeEndpoint, this.section.async?.endpointName].filter((name, i, all) => name && all.indexOf(name) === i);
    return { engine: 'sagemaker', model: `sagemaker:${endpoints.join('+')}`, concurrency: this.options.concurrency, diarizes: true };
  }

  async start(): Promise<void> {
    const health = await this.health();
    if (health.ready) this.logger.log({ msg: 'sagemaker engine configured', ...health.detail });
    else this.logger.warn({ msg: 'sagemaker engine not ready', ...health.detail });
  }

  async transcribe({ audio, options, model, signal, onProgress, diarization }: EngineRequest): Promise<TranscriptionResult> {
    signal.throwIfAborted();
    const flacPath = `${audio.path}.flac`;
    let route: InvocationRoute | 'none' = 'none';
    try {
      await encodeFlac(this.options.ffmpegPath, audio, flacPath, signal);
      const payload = invocationPayload(await readFile(flacPath), options, diarization);
      // A named model (SAGEMAKER_MODELS) has a real-time endpoint of its own and no async route.
      const target = model !== undefined ? this.options.models?.get(model) : undefined;
      route = chooseRoute(target ? { mode: 'realtime', realtimeEndpoint: target.endpoint } : this.section, payload.body.length);
      onProgress?.(0);
      const result = target
        ? await this.invokeRealtime(payload, signal, target)
        : route === 'realtime'
          ? await this.invokeRealtime(payload, signal)
          : await this.invokeAsync(payload, signal);
      this.record(route, 'ok');
      onProgress?.(1);
      return result;
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      const failure = sageMakerError(error);
      this.record(route, failure.code, failure.message);
      throw failure;
    } finally {
      await rm(flacPath, { force: true });
    }
  }

  async health(): Promise<EngineHealth> {
    const credentialsError = await this.checkCredentials();
    return {
      ready: credentialsError === undefined,
      detail: {
        region: this.section.region,
        mode: this.section.mode,
        ...(this.section.realtimeEndpoint ? { realtimeEndpoint: this.section.realtimeEndpoint } : {}),
        ...(this.section.async ? { asyncEndpoint: this.section.async.endpointName, asyncBucket: this.section.async.bucket } : {}),
        credentials: credentialsError ?? 'resolved',
        probe: 'none: readiness is configuration and credentials; see lastCall for the endpoint itself',
        calls: { ...this.calls },
        ...(this.lastCall ? { lastCall: this.lastCall } : {}),
      },
    };
  }

  async stop(): Promise<void> {
    this.clients.runtime.destroy();
    this.clients.s3?.destroy();
  }

  /** `target`: a named model's endpoint and variant (SAGEMAKER_MODELS); otherwise the default real-time endpoint. */
  private async invokeRealtime(payload: InvocationPayload, signal: AbortSignal, target?: SageMakerTarget): Promise<TranscriptionResult> {
    const requestId = currentRequestId();
    const response = await this.clients.runtime.send(
      new InvokeEndpointCommand({
        EndpointName: target?.endpoint ?? this.section.realtimeEndpoint,
        ...(target?.variant ? { TargetVariant: target.variant } : {}),
        Body: payload.body,
        ContentType: payload.contentType,
        Accept: 'application/json',
        ...(payload.customAttributes !== undefined ? { CustomAttributes: payload.customAttributes } : {}),
        // SageMaker passes no other headers through; the inference id ties its data capture to our request id.
        ...(requestId ? { InferenceId: requestId.slice(0, 64) } : {}),
      }),
      { abortSignal: signal },
    );
    return parseRemoteResult(Buffer.from(response.Body ?? new Uint8Array()).toString('utf8'));
  }

  private invokeAsync(payload: InvocationPayload, signal: AbortSignal): Promise<TranscriptionResult> {
    // chooseRoute only answers 'async' when the section has an async route, and then the invoker exists.
    return (this.asyncInvoker as AsyncInvoker).invoke(payload, signal);
  }

  private record(route: InvocationRoute | 'none', outcome: LastCall['outcome'], message?: string): void {
    if (route !== 'none') this.calls[route] += 1;
    if (outcome !== 'ok') this.calls.failed += 1;
    this.lastCall = { at: new Date().toISOString(), route, outcome, ...(message ? { message } : {}) };
  }

  private async checkCredentials(): Promise<string | undefined> {
    if (this.credentials && Date.now() - this.credentials.checkedAt < CREDENTIALS_CHECK_TTL_MS) return this.credentials.error;
    let error: string | undefined;
    try {
      await this.clients.runtime.config.credentials();
    } catch (caught) {
      error = `unresolved: ${(caught as Error).message}`;
    }
    this.credentials = { checkedAt: Date.now(), ...(error ? { error } : {}) };
    return error;
  }
}
