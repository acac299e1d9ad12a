import { ApiProperty } from '@nestjs/swagger';

/** How far a model's download has got (GET /v1/models while it runs; the `model.download.progress` event's data). */
export class ModelDownloadProgressSchema {
  @ApiProperty({ example: 'tiny.en', description: 'Only in the event: the model being downloaded.', required: false })
  id?: string;

  @ApiProperty({ description: 'Bytes on disk so far (a resumed download starts from what the last attempt kept).' })
  received_bytes!: number;

  @ApiProperty({ type: Number, nullable: true, description: 'The file\'s length once the server has said it.' })
  total_bytes!: number | null;
}

/** One entry of GET /v1/models: OpenAI's model object plus what this server knows of the model. */
export class ModelObjectSchema {
  @ApiProperty({ description: 'What a request\'s `model` field names.', example: 'large-v3-turbo' })
  id!: string;

  @ApiProperty({ enum: ['model'] })
  object!: 'model';

  @ApiProperty({ description: 'Unix seconds: when the weights were installed (or the server started, when not installed).' })
  created!: number;

  @ApiProperty({ example: 'speech-platform' })
  owned_by!: string;

  @ApiProperty({ description: 'The weights are on this server (remote engines: always true).' })
  installed!: boolean;

  @ApiProperty({ description: 'POST /v1/models/{id}/download can fetch it and DELETE remove it (a whisper.cpp catalog name of the local engine).' })
  downloadable!: boolean;

  @ApiProperty({ type: ModelDownloadProgressSchema, nullable: true, description: 'While a download runs: its progress; otherwise null.' })
  download!: { received_bytes: number; total_bytes: number | null } | null;

  @ApiProperty({ description: 'Whether this is the default (`whisper-1` and requests without `model`).' })
  default!: boolean;

  @ApiProperty({ description: 'Languages it transcribes: ["en"] for English-only models, ["*"] for all of Whisper\'s.', type: [String] })
  languages!: string[];

  @ApiProperty()
  english_only!: boolean;

  @ApiProperty({ description: 'Can run task=translate (English-only models cannot).' })
  translate_capable!: boolean;

  @ApiProperty({ type: Number, nullable: true, description: 'File size in bytes (approximate for a model not yet downloaded).' })
  size_bytes!: number | null;

  @ApiProperty({ type: String, nullable: true, example: 'q5_0', description: 'Weight type: f16, q8_0, q5_0, …; null when the engine does not say.' })
  quantization!: string | null;

  @ApiProperty({ enum: ['local', 'http', 'sagemaker'] })
  engine!: 'local' | 'http' | 'sagemaker';
}

/** GET /v1/models, in OpenAI's list shape. */
export class ModelListSchema {
  @ApiProperty({ enum: ['list'] })
  object!: 'list';

  @ApiProperty({ type: [ModelObjectSchema] })
  data!: ModelObjectSchema[];
}

/** `model.download.completed`: the model is installed. */
export class ModelDownloadCompletedSchema {
  @ApiProperty({ example: 'tiny.en' })
  id!: string;

  @ApiProperty()
  size_bytes!: number;

  @ApiProperty({ description: 'SHA-256 of the installed file (hex).' })
  sha256!: string;
}

export class ModelDownloadErrorSchema {
  @ApiProperty({ example: 'MODEL_DOWNLOAD_FAILED', enum: ['MODEL_DOWNLOAD_FAILED', 'MODEL_CHECKSUM_MISMATCH'] })
  code!: string;

  @ApiProperty()
  message!: string;

  @ApiProperty({ description: 'The id of the POST that watched the download (X-Request-Id).' })
  request_id!: string;
}

/** `model.download.failed`: nothing was installed; a new POST resumes from the bytes kept (unless the checksum failed). */
export class ModelDownloadFailedSchema {
  @ApiProperty({ example: 'tiny.en' })
  id!: string;

  @ApiProperty({ type: ModelDownloadErrorSchema })
  error!: ModelDownloadErrorSchema;
}

/** DELETE /v1/models/{id}, in OpenAI's shape (`client.models.delete(id)`). */
export class ModelDeletedSchema {
  @ApiProperty({ example: 'tiny.en' })
  id!: string;

  @ApiProperty({ enum: ['model'] })
  object!: 'model';

  @ApiProperty()
  deleted!: boolean;
}

export const MODEL_SCHEMAS = [ModelDownloadProgressSchema, ModelDownloadCompletedSchema, ModelDownloadFailedSchema, ModelDeletedSchema];
