import { statSync } from 'node:fs';
import path from 'node:path';
import type { EngineSection } from '../config/app-config';
import { catalogModel, modelFileName } from './local/model-catalog';
import { looksLikePath } from './local/model-manager';
import { isEnglishOnly, modelIdOf, ModelRegistry, quantizationOf, type ServedModel } from './model-registry';

const startedAt = Math.floor(Date.now() / 1000);

/** The registry for the validated engine section: the local engine's configured models, or the remote engine's one. */
export function modelRegistryFor(section: EngineSection, remoteModelName: string): ModelRegistry {
  if (section.kind !== 'local') {
    const model: ServedModel = {
      id: remoteModelName,
      engine: section.kind,
      created: startedAt,
      installed: true,
      englishOnly: false,
      translateCapable: true,
      sizeBytes: null,
      quantization: null,
    };
    return new ModelRegistry([model], model.id);
  }
  const { models, model, translationModel, modelsDir } = section.local;
  const served = models.map((source) => localModel(source, modelsDir));
  return new ModelRegistry(served, modelIdOf(model), translationModel ? modelIdOf(translationModel) : undefined);
}

/** Where a served local model's file lives: its path, or `<modelsDir>/ggml-<name>.bin` for a catalog name. */
export function localModelFile(source: string, modelsDir: string): string {
  return looksLikePath(source) ? path.resolve(source) : path.join(modelsDir, modelFileName(source));
}

function localModel(source: string, modelsDir: string): ServedModel {
  const id = modelIdOf(source);
  const stat = statOrNull(localModelFile(source, modelsDir));
  const approxMiB = catalogModel(id)?.approxMiB ?? null;
  const englishOnly = isEnglishOnly(id);
  return {
    id,
    engine: 'local',
    created: stat ? Math.floor(stat.mtimeMs / 1000) : startedAt,
    installed: stat !== null,
    englishOnly,
    translateCapable: !englishOnly,
    sizeBytes: stat ? stat.size : approxMiB !== null ? approxMiB * 1024 * 1024 : null,
    quantization: quantizationOf(id),
  };
}

function statOrNull(file: string): { size: number; mtimeMs: number } | null {
  try {
    return statSync(file);
  } catch {
    return null;
  }
}
