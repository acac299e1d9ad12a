/** The local engine's section of the validated app config. */
export interface LocalEngineConfig {
  /** A catalog name such as 'large-v3-turbo' (see model-catalog.ts) or a path to a ggml model file. */
  model: string;
  /** Every model served (catalog names or paths), the default among them; absent: only `model`. */
  models?: readonly string[];
  /** Unload a model (stop its worker, returning its memory) after this long without a request; 0: never. Not the default model. */
  idleUnloadSeconds?: number;
  /**
   * Bytes of model weights loaded at once (0: no limit). Loading one more past it first unloads the least recently used
   * idle models; a model's weight is its file size.
   */
  memoryBudgetBytes?: number;
  /** Where named models are stored and downloaded to. */
  modelsDir: string;
  /** Total CPU threads whisper may use; see defaultWhisperThreads() in cpu-threads.ts. */
  threads: number;
  /** Requests transcribed at once; each gets floor(threads / concurrency) threads. */
  concurrency: number;
  /** Which native build to compile/use: see scripts/whisper-native.mjs. */
  build: 'native' | 'portable' | 'cuda' | 'vulkan';
  /**
   * Beam width for every request (WHISPER_BEAM_SIZE); 1 or absent is greedy. The bench compares engines at
   * greedy and at beam 5, so the width is a server setting, like the model.
   */
  beamSize?: number;
  /** Offload to the GPU (needs the cuda or vulkan build). */
  useGpu: boolean;
  /** Download a named model at start-up when it is missing. */
  autoDownload: boolean;
  downloadBaseUrl: string;
  /**
   * Optional: a prebuilt whisper-worker binary (e.g. baked into an image). When absent the engine runs
   * scripts/build-whisper.mjs, which compiles once and then answers from its cache.
   */
  workerBinary?: string;
  /**
   * Whisper's temperature fallback step (TEMPERATURE_FALLBACK / TEMPERATURE_INCREMENT): a window whose decode fails
   * whisper.cpp's thresholds (log-probability < −1, token entropy < 2.4: looping) is decoded again this much warmer.
   * 0 or absent: each window is decoded once.
   */
  temperatureIncrement?: number;
}

export const DEFAULT_DOWNLOAD_BASE_URL = 'https://huggingface.co/ggerganov/whisper.cpp/resolve/main';

/** Default models directory for the CLI and for configs that do not set one (git-ignored). */
export const DEFAULT_MODELS_DIR = '.cache/whisper-models';

/** Threads one request gets: the total split evenly across concurrent requests, never below one. */
export function threadsPerJob(config: Pick<LocalEngineConfig, 'threads' | 'concurrency'>): number {
  return Math.max(1, Math.floor(config.threads / Math.max(1, config.concurrency)));
}
