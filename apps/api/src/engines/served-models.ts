import { statSync } from 'node:fs';
import path from 'node:path';
import type { EngineSection } from '../config/app-config';
import { catalogModel, modelFileName } from './local/model-catalog';
import { looksLikePath } from './local/model-manager';
import { isEnglishOnly, modelIdOf, ModelRegistry, quantizationOf, type ServedModel } from './model-registry';

const startedAt = Math.floor(Date.now() / 1000);

/**
 * The registry for the validated engine section: the local engine's configured models, or the remote engine's default
 * plus the names its own map adds (MODEL_SERVER_MODELS, SAGEMAKER_MODELS).
 */
export function modelRegistryFor(section: EngineSection, remoteModelName: string): ModelRegistry {
  if (section.kind !== 'local') {
    const named = section.kind === 'http' ? [...section.http.models.keys()] : [...section.models.keys()];
    const ids = [remoteModelName, ...named.filter((name) => name !== remoteModelName)];
    return new ModelRegistry(ids.map((id) => remoteModel(id, section.kind)), remoteModelName);
  }
  const { models, model, translationModel, modelsDir } = section.local;
  const served = models.map((source) => localModel(source, modelsDir));
  return new ModelRegistry(served, modelIdOf(model), translationModel ? modelIdOf(translationModel) : undefined);
}

/** Where a served local model's file lives: its path, or `<modelsDir>/ggml-<name>.bin` for a catalog name. */
export function localModelFile(source: string, modelsDir: string): string {
  return looksLikePath(source) ? path.resolve(source) : path.join(modelsDir, modelFileName(source));
}

function remoteModel(id: string, engine: 'http' | 'sagemaker'): ServedModel {
  const englishOnly = isEnglishOnly(id);
  return { id, engine, created: startedAt, installed: true, englishOnly, translateCapable: !englishOnly, sizeBytes: null, quantization: null };
}

/** A local model whose file facts are read when asked, so a download or a DELETE shows in the next listing. */
function localModel(source: string, modelsDir: string): ServedModel {
  const id = modelIdOf(source);
  const file = localModelFile(source, modelsDir);
  const approxMiB = catalogModel(id)?.approxMiB ?? null;
  const englishOnly = isEnglishOnly(id);
  return {
    id,
    engine: 'local',
    get created() {
      const stat = statOrNull(file);
      return stat ? Math.floor(stat.mtimeMs / 1000) : startedAt;
    },
    get installed() {
      return statOrNull(file) !== null;
    },
    englishOnly,
    translateCapable: !englishOnly,
    get sizeBytes() {
      const stat = statOrNull(file);
      return stat ? stat.size : approxMiB !== null ? approxMiB * 1024 * 1024 : null;
    },
    quantization: quantizationOf(id),
    downloadable: !looksLikePath(source) && catalogModel(id) !== undefined,
  };
}

function statOrNull(file: string): { size: number; mtimeMs: number } | null {
  try {
    return statSync(file);
  } catch {
    return null;
  }
}
