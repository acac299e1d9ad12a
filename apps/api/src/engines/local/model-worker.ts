import { DomainError, isDomainError } from '../../common/domain-error';
import type { EngineLogger } from './engine-logger';
import { threadsPerJob, type LocalEngineConfig } from './local-engine.config';
import type { ModelManager } from './model-manager';
import type { NativeBuild } from './native-build';
import { WorkerSupervisor, type SupervisorOptions } from './worker-supervisor';

export interface ModelWorkerDeps {
  readonly config: LocalEngineConfig;
  readonly models: ModelManager;
  readonly logger: EngineLogger;
  /** The native build, shared by every model's worker (compiled once). */
  readonly build: () => Promise<Pick<NativeBuild, 'binaries'> & Partial<NativeBuild>>;
  readonly supervisor?: Pick<SupervisorOptions, 'cancelGraceMs' | 'initialBackoffMs' | 'maxBackoffMs' | 'readyTimeoutMs'>;
}

/**
 * One served model in its own whisper-worker process, so two models run side by side and one can be stopped (its
 * memory returned) without touching the others. Starts once on demand; a failed start is kept and reported.
 */
export class ModelWorker {
  private supervisor?: WorkerSupervisor;
  private starting?: Promise<void>;
  modelPath?: string;
  startError?: DomainError;
  lastUsedAt = 0;
  /** Requests running on this model now; an idle unload waits for zero. */
  active = 0;

  constructor(
    readonly id: string,
    readonly source: string,
    private readonly deps: ModelWorkerDeps,
  ) {}

  /** Starts the worker if it is not running; never throws (the error is kept for health and for each request). */
  start(): Promise<void> {
    this.starting ??= this.launch();
    return this.starting;
  }

  /** The running worker, started if needed; throws the start error when the model cannot run. */
  async ready(): Promise<WorkerSupervisor> {
    this.lastUsedAt = Date.now();
    await this.start();
    if (!this.supervisor || this.startError) {
      throw this.startError ?? new DomainError('ENGINE_FAILED', `The worker for model "${this.id}" has not been started.`);
    }
    return this.supervisor;
  }

  get running(): WorkerSupervisor | undefined {
    return this.supervisor;
  }

  /** Started (or starting) and not stopped: its weights are, or are about to be, in memory. */
  get loaded(): boolean {
    return this.starting !== undefined;
  }

  /** Stops the process; the stopped supervisor stays for health ('stopped') until the next start replaces it. */
  async stop(): Promise<void> {
    this.starting = undefined;
    await this.supervisor?.stop();
  }

  private async launch(): Promise<void> {
    const { config, logger } = this.deps;
    this.startError = undefined;
    try {
      this.modelPath = await this.deps.models.resolve(this.source);
      const build = await this.deps.build();
      const args = [
        '--model', this.modelPath,
        '--threads', String(threadsPerJob(config)),
        '--parallel', String(config.concurrency),
        ...(config.useGpu ? ['--gpu'] : []),
      ];
      this.supervisor = new WorkerSupervisor({
        binary: build.binaries?.['whisper-worker'] as string,
        args,
        parallel: config.concurrency,
        logger,
        ...this.deps.supervisor,
      });
      const ready = await this.supervisor.start();
      logger.log(`whisper worker ready (${this.id}): ${this.modelPath}, ${ready.parallel} x ${ready.threads} threads | ${ready.system_info}`);
    } catch (error) {
      this.startError = isDomainError(error) ? error : new DomainError('ENGINE_FAILED', (error as Error).message);
      logger.error(`model ${this.id} not ready: ${this.startError.message}`);
    }
  }
}
