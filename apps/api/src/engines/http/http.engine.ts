import { readFile, rm } from 'node:fs/promises';
import { Logger } from '@nestjs/common';
import type { TranscriptionResult } from '@speech/contracts';
import { DomainError, isDomainError } from '../../common/domain-error';
import { currentRequestId } from '../../common/request-context';
import { encodeFlac } from '../remote/flac-encoder';
import { invocationPayload } from '../remote/invocation-request';
import { parseRemoteResult, remoteError } from '../remote/remote-result';
import { type EngineDescription, type EngineHealth, type EngineRequest, TranscriptionEngine } from '../transcription-engine.port';

export interface HttpEngineConfig {
  /** Base URL of the model container (it serves /ping and /invocations). */
  readonly url: string;
  readonly concurrency: number;
  /** Further models by name (MODEL_SERVER_MODELS), each on its own model container. */
  readonly models?: ReadonlyMap<string, string>;
}

const PING_TIMEOUT_MS = 2000;

/** The `http` engine: our model container over plain HTTP (docker-compose, or any host that runs it). */
export class HttpEngine extends TranscriptionEngine {
  private readonly logger = new Logger('HttpEngine');
  private runtimeName?: string;

  constructor(
    private readonly config: HttpEngineConfig,
    private readonly ffmpegPath: string,
  ) {
    super();
  }

  describe(): EngineDescription {
    return { engine: 'http', model: this.runtimeName ?? 'model-container', concurrency: this.config.concurrency, diarizes: true };
  }

  async start(): Promise<void> {
    const health = await this.health();
    if (health.ready) this.logger.log({ msg: 'model server ready', url: this.config.url, runtime: this.runtimeName });
    else this.logger.warn({ msg: 'model server not ready yet', url: this.config.url, ...health.detail });
  }

  async transcribe({ audio, options, model, signal, onProgress, diarization }: EngineRequest): Promise<TranscriptionResult> {
    signal.throwIfAborted();
    const baseUrl = this.urlFor(model);
    const flacPath = `${audio.path}.flac`;
    try {
      await encodeFlac(this.ffmpegPath, audio, flacPath, signal);
      const flac = await readFile(flacPath);
      const payload = invocationPayload(flac, options, diarization);
      const headers: Record<string, string> = { accept: 'application/json', 'content-type': payload.contentType };
      if (payload.customAttributes !== undefined) headers['x-amzn-sagemaker-custom-attributes'] = payload.customAttributes;
      const requestId = currentRequestId();
      if (requestId) headers['x-request-id'] = requestId;
      const response = await this.post(baseUrl, '/invocations', payload.body, headers, signal);
      const text = await response.text();
      if (!response.ok) throw remoteError(response.status, text, response.headers.get('retry-after'));
      const result = parseRemoteResult(text);
      onProgress?.(1);
      return result;
    } finally {
      await rm(flacPath, { force: true });
    }
  }

  async health(): Promise<EngineHealth> {
    try {
      const response = await fetch(new URL('/ping', this.config.url), { signal: AbortSignal.timeout(PING_TIMEOUT_MS) });
      const body = (await response.json().catch(() => ({}))) as { status?: string; runtime?: string; error?: string };
      if (body.runtime) this.runtimeName = body.runtime;
      // Not `status`: terminus reserves that key in indicator data and fails the whole check over it.
      return { ready: response.status === 200, detail: { url: this.config.url, ping: body.status ?? response.status, ...(body.error ? { error: body.error } : {}) } };
    } catch (error) {
      return { ready: false, detail: { url: this.config.url, error: `unreachable: ${(error as Error).message}` } };
    }
  }

  async stop(): Promise<void> {
    // Nothing held: each call is its own HTTP request.
  }

  /** The container of a named model (MODEL_SERVER_MODELS); the default one (MODEL_SERVER_URL) for any other. */
  private urlFor(model: string | undefined): string {
    return (model !== undefined ? this.config.models?.get(model) : undefined) ?? this.config.url;
  }

  private async post(baseUrl: string, path: string, body: string | Buffer, headers: Record<string, string>, signal: AbortSignal): Promise<Response> {
    try {
      return await fetch(new URL(path, baseUrl), { method: 'POST', body: body as unknown as BodyInit, headers, signal });
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (isDomainError(error)) throw error;
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new DomainError('ENGINE_FAILED', `The model server at ${baseUrl} could not be reached (${cause}).`);
    }
  }
}
