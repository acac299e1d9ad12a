import type { Task } from '@speech/contracts';
import { DomainError } from '../common/domain-error';

/** OpenAI's name for "the speech model": every client that hard-codes it gets the configured default. */
export const DEFAULT_MODEL_ALIAS = 'whisper-1';

/**
 * OpenAI's other transcription model names, so clients written for OpenAI work unchanged: they run on the default
 * (or translation) model like `whisper-1`. `gpt-4o-transcribe-diarize` is the name OpenAI's SDK pairs with
 * `response_format=diarized_json`; diarization itself is our own stage, whatever the model.
 */
export const OPENAI_MODEL_ALIASES: readonly string[] = [DEFAULT_MODEL_ALIAS, 'gpt-4o-transcribe', 'gpt-4o-mini-transcribe', 'gpt-4o-transcribe-diarize'];

/** One model this server can run, as GET /v1/models lists it. */
export interface ServedModel {
  /** What a request's `model` field names. */
  readonly id: string;
  readonly engine: 'local' | 'http' | 'sagemaker';
  /** Unix seconds: the model file's time when installed, else when the server started. */
  readonly created: number;
  /** The weights are on this machine (always true for remote engines: the remote side owns them). */
  readonly installed: boolean;
  /** `.en` models transcribe English only and cannot translate. */
  readonly englishOnly: boolean;
  readonly translateCapable: boolean;
  readonly sizeBytes: number | null;
  /** ggml weight type from the name: f16 unless it ends in -q5_0, -q8_0, … ; null when unknown (remote). */
  readonly quantization: string | null;
  /** A catalog name of the local engine: POST /v1/models/{id}/download can fetch it, DELETE remove it. */
  readonly downloadable?: boolean;
}

/**
 * Which models are served, which one is the default and which one translates; turns a request's `model` into one of
 * them. A name it does not know is a client error that names the valid ones.
 */
export class ModelRegistry {
  private readonly byId: ReadonlyMap<string, ServedModel>;

  constructor(
    models: readonly ServedModel[],
    readonly defaultId: string,
    readonly translationId: string = defaultId,
  ) {
    this.byId = new Map(models.map((model) => [model.id, model]));
    for (const id of [defaultId, translationId]) {
      if (!this.byId.has(id)) throw new Error(`ModelRegistry: "${id}" is not among the served models.`);
    }
  }

  list(): ServedModel[] {
    return [...this.byId.values()];
  }

  get(id: string): ServedModel | undefined {
    return this.byId.get(id);
  }

  /**
   * The model a request runs on. No name, `whisper-1` or another OpenAI name (OPENAI_MODEL_ALIASES): the default, or for
   * a translation the translation model.
   * A named model must exist, and a translation must not name an English-only one.
   */
  resolve(requested: string | undefined, task: Task): ServedModel {
    const name = requested?.trim();
    if (!name || (OPENAI_MODEL_ALIASES.includes(name) && !this.byId.has(name))) {
      return this.byId.get(task === 'translate' ? this.translationId : this.defaultId) as ServedModel;
    }
    const model = this.byId.get(name);
    const valid = [DEFAULT_MODEL_ALIAS, ...this.byId.keys()];
    if (!model) {
      throw new DomainError('INVALID_OPTION', `model "${truncate(name)}" is not served here; use one of ${valid.join(', ')}.`, {
        param: 'model',
        valid,
      });
    }
    if (task === 'translate' && !model.translateCapable) {
      const capable = [DEFAULT_MODEL_ALIAS, ...this.list().filter((m) => m.translateCapable).map((m) => m.id)];
      throw new DomainError('INVALID_OPTION', `model "${name}" is English-only and cannot translate; use one of ${capable.join(', ')}.`, {
        param: 'model',
        valid: capable,
      });
    }
    return model;
  }
}

/** `ggml-tiny.en-q5_1.bin` or `/m/ggml-tiny.en-q5_1.bin` → `tiny.en-q5_1`; a catalog name stays as it is. */
export function modelIdOf(nameOrPath: string): string {
  const base = nameOrPath.split(/[\\/]/).pop() ?? nameOrPath;
  return base.replace(/^ggml-/, '').replace(/\.bin$/, '');
}

/** The weight type a ggml model name declares; whisper.cpp's unquantized files are f16. */
export function quantizationOf(id: string): string {
  return /-(q\d_\d|q\d_k)$/i.exec(id)?.[1]?.toLowerCase() ?? 'f16';
}

export function isEnglishOnly(id: string): boolean {
  return /\.en(\b|-|$)/.test(id);
}

function truncate(value: string): string {
  return value.length > 60 ? `${value.slice(0, 60)}…` : value;
}
