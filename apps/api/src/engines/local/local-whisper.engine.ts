import { statSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import type { TranscriptionResult } from '@speech/contracts';

import { DomainError } from '../../common/domain-error';
import { modelIdOf } from '../model-registry';
import {
  TranscriptionEngine,
  type EngineDescription,
  type EngineHealth,
  type EngineRequest,
} from '../transcription-engine.port';
import { threadsPerJob, type LocalEngineConfig } from './local-engine.config';
import { ModelManager } from './model-manager';
import type { ModelDownloadManager } from '../model-downloads/model-download-manager';
import { ensureNativeBuild, type NativeBuild } from './native-build';
import { toTranscriptionResult } from './result-mapping';
import { windowTokenBudget } from './window-token-budget';
import { fittedAudioCtx } from './fitted-audio-ctx';
import { fittedDecodeLooped } from './fitted-decode-looped';
import type { EngineLogger } from './engine-logger';
import { localModelFile } from '../served-models';
import { evictionsFor, idleModels, type ResidentModel } from './model-residency';
import { ModelWorker } from './model-worker';
import type { SupervisorOptions, WorkerSupervisor } from './worker-supervisor';

export interface LocalEngineDeps {
  logger?: EngineLogger;
  modelManager?: ModelManager;
  /** The download manager shared with the models routes (one download per model, whoever asks). */
  downloads?: ModelDownloadManager;
  /** Defaults to compiling/reusing the native build named by config.build. */
  nativeBuild?: () => Promise<Pick<NativeBuild, 'binaries'> & Partial<NativeBuild>>;
  /** Timing knobs of the worker supervisor (tests shorten them). */
  supervisor?: Pick<SupervisorOptions, 'cancelGraceMs' | 'initialBackoffMs' | 'maxBackoffMs' | 'readyTimeoutMs'>;
}

/**
 * The `local` engine: whisper.cpp compiled for this machine, run as supervised child processes
 * (apps/api/native/whisper-worker), one per served model, each keeping its model loaded and serving `concurrency`
 * requests at once. The default model starts with the engine; the others on their first request.
 */
export class LocalWhisperEngine extends TranscriptionEngine {
  private readonly logger: EngineLogger;
  private readonly models: ModelManager;
  private readonly workers = new Map<string, ModelWorker>();
  private readonly defaultId: string;
  private sweep?: NodeJS.Timeout;

  /** Between start() and stop(): only then may a request start a model's worker. */
  private started = false;
  private buildPromise?: Promise<Pick<NativeBuild, 'binaries'> & Partial<NativeBuild>>;

  constructor(
    private readonly config: LocalEngineConfig,
    private readonly deps: LocalEngineDeps = {},
  ) {
    super();
    this.logger = deps.logger ?? new Logger('LocalWhisperEngine');
    this.models =
      deps.modelManager ??
      new ModelManager({
        modelsDir: config.modelsDir,
        downloadBaseUrl: config.downloadBaseUrl,
        autoDownload: config.autoDownload,
        logger: this.logger,
        ...(deps.downloads ? { downloads: deps.downloads } : {}),
      });
    this.defaultId = modelIdOf(config.model);
    for (const source of new Set([config.model, ...(config.models ?? [])])) {
      const id = modelIdOf(source);
      this.workers.set(
        id,
        new ModelWorker(id, source, { config, models: this.models, logger: this.logger, build: () => this.nativeBuild(), supervisor: deps.supervisor }),
      );
    }
  }

  describe(): EngineDescription {
    return { engine: 'local', model: this.config.model, concurrency: this.config.concurrency, diarizes: false };
  }

  /** Never throws: a missing model or a failed build is kept for health() and for each transcribe(). */
  async start(): Promise<void> {
    const worker = this.defaultWorker;
    await worker.stop(); // a second start() (e.g. a retry after fixing the model) replaces the worker
    this.buildPromise = undefined;
    this.started = true;
    this.startIdleSweep();
    await worker.start();
  }

  async transcribe(request: EngineRequest): Promise<TranscriptionResult> {
    request.signal.throwIfAborted();
    if (!this.started) throw new DomainError('ENGINE_FAILED', 'The local engine has not been started.');
    const worker = this.workerFor(request.model);
    if (!worker.loaded) await this.makeRoomFor(worker);
    worker.active += 1;
    try {
      return await this.runOn(await worker.ready(), request);
    } finally {
      worker.active -= 1;
      worker.lastUsedAt = Date.now();
    }
  }

  /** Unloads idle models past the TTL now (the sweep timer calls it too); returns the ids unloaded. */
  async unloadIdle(now = Date.now()): Promise<string[]> {
    const ttlMs = (this.config.idleUnloadSeconds ?? 0) * 1000;
    const idle = idleModels(this.residents(), now, ttlMs, this.defaultId);
    await Promise.all(idle.map((model) => this.unload(model.id, 'idle')));
    return idle.map((model) => model.id);
  }

  private async runOn(supervisor: WorkerSupervisor, request: EngineRequest): Promise<TranscriptionResult> {
    const { audio, options, signal, onProgress } = request;
    const tokenBudget = windowTokenBudget(audio.durationSeconds);
    const decode = (audioCtx?: number) =>
      supervisor.run(
        {
          op: 'transcribe',
          pcm: audio.path,
          language: options.language ?? 'auto',
          translate: options.task === 'translate',
          prompt: options.prompt ?? '',
          temperature: options.temperature,
          // OpenAI's and Whisper's rule: start at the requested temperature (0 = greedy) and, with the fallback on,
          // retry a failing window warmer; the step is a server setting (TEMPERATURE_INCREMENT). Not on a fitted
          // window: a loop there is the window's fault, and warmer retries of it cost more than the full window below.
          // Nor when the caller asks for one pass (realtime turns, see TranscriptionOptions.temperatureFallback).
          temperature_inc: audioCtx || options.temperatureFallback === false ? 0 : (this.config.temperatureIncrement ?? 0),
          // The worker's protocol: 0 is greedy, 2..16 a beam.
          beam_size: (this.config.beamSize ?? 1) > 1 ? (this.config.beamSize as number) : 0,
          word_timestamps: options.wordTimestamps,
          threads: this.threadsNow(),
          ...(audioCtx ? { audio_ctx: audioCtx } : {}),
          // Only on a fitted window, where a runaway means a loop that the full window below answers.
          ...(audioCtx && tokenBudget ? { max_window_tokens: tokenBudget } : {}),
        },
        { signal, onProgress },
      );
    let event = await decode(options.fitEncoderToAudio ? fittedAudioCtx(audio.durationSeconds, options.fitEncoderMinSeconds) : undefined);
    // A fitted window is cheap but can make the decoder loop; the full window is the answer then.
    if (options.fitEncoderToAudio && fittedDecodeLooped(event, audio.durationSeconds)) {
      if (options.fitEncoderLoopRetry === false) {
        // The caller can do without this text (a partial): a loop costs nothing rather than a full window.
        this.logger.warn(`request ${event.id}: the fitted encoder window looped; its text is dropped`);
        event = { ...event, segments: [] };
      } else {
        this.logger.warn(`request ${event.id}: the fitted encoder window looped; decoding again with the full window`);
        event = await decode();
      }
    }
    onProgress?.(1);
    return toTranscriptionResult(event, audio.durationSeconds, options.wordTimestamps);
  }

  /**
   * Threads for a request starting now: its share of the machine among the requests running on every model, so two
   * models at once on two cores get one thread each instead of spinning two each (whisper's threads busy-wait for one
   * another, and oversubscribed they slow each other far more than the split costs).
   */
  private threadsNow(): number {
    let running = 0;
    for (const worker of this.workers.values()) running += worker.active;
    return Math.max(1, Math.min(threadsPerJob(this.config), Math.floor(this.config.threads / Math.max(1, running))));
  }

  /** Times one encoder pass over a 30 s window inside the running worker (used by bench/). */
  async benchEncode(threads = threadsPerJob(this.config)): Promise<number> {
    const supervisor = this.defaultWorker.running;
    if (!supervisor) throw this.defaultWorker.startError ?? new DomainError('ENGINE_FAILED', 'The local engine has not been started.');
    const event = await supervisor.run({ op: 'bench_encode', threads });
    return event.encode_ms;
  }

  /** Ready when the default model's worker is; every model's worker is listed under `models`. */
  async health(): Promise<EngineHealth> {
    const worker = this.defaultWorker;
    const s = worker.running;
    return {
      ready: !worker.startError && s?.state === 'ready',
      detail: {
        model: this.config.model,
        modelPath: worker.modelPath ?? null,
        build: this.builtWith?.flavour ?? this.config.build,
        whisperCpp: this.builtWith?.version ?? null,
        threads: this.config.threads,
        threadsPerJob: threadsPerJob(this.config),
        concurrency: this.config.concurrency,
        worker: s?.state ?? 'not started',
        workerPid: s?.pid ?? null,
        restarts: s?.restarts ?? 0,
        systemInfo: s?.ready?.system_info ?? null,
        lastError: worker.startError?.message ?? s?.lastError ?? null,
        models: Object.fromEntries([...this.workers.values()].map((w) => [w.id, modelHealth(w)])),
      },
    };
  }

  override modelInUse(id: string): boolean {
    const worker = this.workers.get(id);
    return worker !== undefined && (worker.loaded || worker.active > 0);
  }

  async stop(): Promise<void> {
    this.started = false;
    clearInterval(this.sweep);
    await Promise.all([...this.workers.values()].map((worker) => worker.stop()));
  }

  private builtWith?: Partial<NativeBuild>;

  private startIdleSweep(): void {
    clearInterval(this.sweep);
    const ttlSeconds = this.config.idleUnloadSeconds ?? 0;
    if (ttlSeconds <= 0) return;
    this.sweep = setInterval(() => void this.unloadIdle(), Math.min(30_000, Math.max(250, (ttlSeconds * 1000) / 4)));
    this.sweep.unref();
  }

  /** Within the memory budget: unload the least recently used idle models the incoming one needs room from. */
  private async makeRoomFor(worker: ModelWorker): Promise<void> {
    const residents = this.residents();
    const incoming = residents.find((model) => model.id === worker.id) as ResidentModel;
    const evict = evictionsFor(incoming, residents, this.config.memoryBudgetBytes ?? 0, this.defaultId);
    await Promise.all(evict.map((model) => this.unload(model.id, `memory budget, for ${worker.id}`)));
  }

  private async unload(id: string, why: string): Promise<void> {
    this.logger.log(`unloading model ${id} (${why})`);
    await this.workers.get(id)?.stop();
  }

  private residents(): ResidentModel[] {
    return [...this.workers.values()].map((w) => ({
      id: w.id,
      loaded: w.loaded,
      active: w.active,
      lastUsedAt: w.lastUsedAt,
      bytes: fileBytes(w.modelPath ?? localModelFile(w.source, this.config.modelsDir)),
    }));
  }

  private get defaultWorker(): ModelWorker {
    return this.workers.get(this.defaultId) as ModelWorker;
  }

  private workerFor(model: string | undefined): ModelWorker {
    const worker = this.workers.get(model ?? this.defaultId);
    if (!worker) throw new DomainError('INVALID_OPTION', `model "${model}" is not served by the local engine.`, { param: 'model' });
    return worker;
  }

  /** The worker binary, compiled (or found in the cache) once for every model. */
  private nativeBuild(): Promise<Pick<NativeBuild, 'binaries'> & Partial<NativeBuild>> {
    this.buildPromise ??= (async () => {
      const build = this.config.workerBinary
        ? { binaries: { 'whisper-worker': this.config.workerBinary } as NativeBuild['binaries'] }
        : await (this.deps.nativeBuild ?? (() => ensureNativeBuild(this.config.build, this.logger)))();
      this.builtWith = build;
      return build;
    })();
    this.buildPromise.catch(() => (this.buildPromise = undefined));
    return this.buildPromise;
  }
}

function fileBytes(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function modelHealth(worker: ModelWorker): Record<string, unknown> {
  const s = worker.running;
  return {
    state: worker.loaded ? (s?.state ?? 'starting') : s ? 'unloaded' : 'not loaded',
    active: worker.active,
    pid: s?.pid ?? null,
    restarts: s?.restarts ?? 0,
    lastUsedAt: worker.lastUsedAt ? new Date(worker.lastUsedAt).toISOString() : null,
    lastError: worker.startError?.message ?? s?.lastError ?? null,
  };
}
