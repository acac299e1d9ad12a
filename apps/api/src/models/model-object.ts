import type { DownloadProgressState } from '../engines/model-downloads/model-download';
import type { ServedModel } from '../engines/model-registry';
import type { ModelObjectSchema } from '../openapi/schemas/model.schemas';

/** The wire form of a served model: OpenAI's {id, object, created, owned_by} first, then our capabilities. */
export function toModelObject(model: ServedModel, isDefault: boolean, download?: DownloadProgressState): ModelObjectSchema {
  return {
    id: model.id,
    object: 'model',
    created: model.created,
    owned_by: 'speech-platform',
    installed: model.installed,
    downloadable: model.downloadable ?? false,
    download: download ? { received_bytes: download.receivedBytes, total_bytes: download.totalBytes } : null,
    default: isDefault,
    languages: model.englishOnly ? ['en'] : ['*'],
    english_only: model.englishOnly,
    translate_capable: model.translateCapable,
    size_bytes: model.sizeBytes,
    quantization: model.quantization,
    engine: model.engine,
  };
}
