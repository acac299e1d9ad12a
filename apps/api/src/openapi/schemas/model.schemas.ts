import { ApiProperty } from '@nestjs/swagger';

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
