import { Logger } from '@nestjs/common';
import type { TranscriptionResult } from '@speech/contracts';

import { DomainError, isDomainError } from '../../common/domain-error';
import {
  TranscriptionEngine,
  type EngineDescription,
  type EngineHealth,
  type EngineRequest,
} from '../transcription-engine.port';
import { threadsPerJob, type LocalEngineConfig } from './local-engine.config';
import { ModelManager } from './model-manager';
import { ensureNativeBuild, type NativeBuild } from './native-build';
import { toTranscriptionResult } from './result-mapping';
import type { EngineLogger } from './engine-logger';
import { WorkerSupervisor, type SupervisorOptions } from './worker-supervisor';

export interface LocalEngineDeps {
  logger?: EngineLogger;
  modelManager?: ModelManager;
  /** Defaults to compiling/reusing the native build named by config.build. */
  nativeBuild?: () => Promise<Pick<NativeBuild, 'binaries'> & Partial<NativeBuild>>;
  /** Timing knobs of the worker supervisor (tests shorten them). */
  supervisor?: Pick<SupervisorOptions, 'cancelGraceMs' | 'initialBackoffMs' | 'maxBackoffMs' | 'readyTimeoutMs'>;
}

/**
 * The `local` engine: whisper.cpp compiled for this machine, run as a supervised child process
 * (apps/api/native/whisper-worker) that keeps the model loaded and serves `concurrency` requests at once.
 */
export class LocalWhisperEngine extends TranscriptionEngine {
  private readonly logger: EngineLogger;
  private readonly models: ModelManager;
  private supervisor?: WorkerSupervisor;
  private modelPath?: string;
  private build?: Partial<NativeBuild>;
  private startError?: DomainError;

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
      });
  }

  describe(): EngineDescription {
    return { engine: 'local', model: this.config.model, concurrency: this.config.concurrency, diarizes: false };
  }

  /** Never throws: a missing model or a failed build is kept for health() and for each transcribe(). */
  async start(): Promise<void> {
    this.startError = undefined;
    await this.supervisor?.stop(); // a second start() (e.g. a retry after fixing the model) replaces the worker
    this.supervisor = undefined;
    try {
      this.modelPath = await this.models.resolve(this.config.model);
      this.build = this.config.workerBinary
        ? { binaries: { 'whisper-worker': this.config.workerBinary } as NativeBuild['binaries'] }
        : await (this.deps.nativeBuild ?? (() => ensureNativeBuild(this.config.build, this.logger)))();
      const args = [
        '--model', this.modelPath,
        '--threads', String(threadsPerJob(this.config)),
        '--parallel', String(this.config.concurrency),
        ...(this.config.useGpu ? ['--gpu'] : []),
      ];
      this.supervisor = new WorkerSupervisor({
        binary: this.build.binaries?.['whisper-worker'] as string,
        args,
        parallel: this.config.concurrency,
        logger: this.logger,
        ...this.deps.supervisor,
      });
      const ready = await this.supervisor.start();
      this.logger.log(
        `whisper worker ready: ${this.modelPath}, ${ready.parallel} x ${ready.threads} threads | ${ready.system_info}`,
      );
    } catch (error) {
      this.startError = isDomainError(error) ? error : new DomainError('ENGINE_FAILED', (error as Error).message);
      this.logger.error(`local engine not ready: ${this.startError.message}`);
    }
  }

  async transcribe(request: EngineRequest): Promise<TranscriptionResult> {
    const { audio, options, signal, onProgress } = request;
    signal.throwIfAborted();
    const supervisor = this.supervisor;
    if (!supervisor || this.startError) {
      throw this.startError ?? new DomainError('ENGINE_FAILED', 'The local engine has not been started.');
    }
    const event = await supervisor.run(
      {
        op: 'transcribe',
        pcm: audio.path,
        language: options.language ?? 'auto',
        translate: options.task === 'translate',
        prompt: options.prompt ?? '',
        temperature: options.temperature,
        // OpenAI's and Whisper's rule: start at the requested temperature (0 = greedy) and, with the fallback on,
        // retry a failing window warmer; the step is a server setting (TEMPERATURE_INCREMENT).
        temperature_inc: this.config.temperatureIncrement ?? 0,
        // The worker's protocol: 0 is greedy, 2..16 a beam.
        beam_size: (this.config.beamSize ?? 1) > 1 ? (this.config.beamSize as number) : 0,
        word_timestamps: options.wordTimestamps,
        threads: threadsPerJob(this.config),
      },
      { signal, onProgress },
    );
    onProgress?.(1);
    return toTranscriptionResult(event, audio.durationSeconds, options.wordTimestamps);
  }

  /** Times one encoder pass over a 30 s window inside the running worker (used by bench/). */
  async benchEncode(threads = threadsPerJob(this.config)): Promise<number> {
    if (!this.supervisor) throw this.startError ?? new DomainError('ENGINE_FAILED', 'The local engine has not been started.');
    const event = await this.supervisor.run({ op: 'bench_encode', threads });
    return event.encode_ms;
  }

  async health(): Promise<EngineHealth> {
    const s = this.supervisor;
    return {
      ready: !this.startError && s?.state === 'ready',
      detail: {
        model: this.config.model,
        modelPath: this.modelPath ?? null,
        build: this.build?.flavour ?? this.config.build,
        whisperCpp: this.build?.version ?? null,
        threads: this.config.threads,
        threadsPerJob: threadsPerJob(this.config),
        concurrency: this.config.concurrency,
        worker: s?.state ?? 'not started',
        workerPid: s?.pid ?? null,
        restarts: s?.restarts ?? 0,
        systemInfo: s?.ready?.system_info ?? null,
        lastError: this.startError?.message ?? s?.lastError ?? null,
      },
    };
  }

  async stop(): Promise<void> {
    await this.supervisor?.stop();
  }
}
