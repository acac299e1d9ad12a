import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { SEGMENT_FLAGS, TASKS, type AudioWarning, type SegmentFlag, type Task, type TranscriptionResult, type TranscriptSegment, type TranscriptWord } from '@speech/contracts';

/** Transcription answers. The native `json` classes implement their contracts (see contract-checks.ts). */

@ApiSchema({ name: 'TranscriptWord', description: 'A word and its time span, in seconds from the start of the audio.' })
export class TranscriptWordSchema implements TranscriptWord {
  @ApiProperty()
  word!: string;

  @ApiProperty()
  start!: number;

  @ApiProperty()
  end!: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1 })
  probability?: number;

  @ApiPropertyOptional({ description: 'Who said it, when diarization was asked for ("A", "B", … or a known speaker\'s name).' })
  speaker?: string;
}

@ApiSchema({ name: 'AudioWarning', description: 'Part of the file could not be decoded, so the transcript may miss words.' })
export class AudioWarningSchema implements AudioWarning {
  @ApiProperty({ enum: ['AUDIO_PARTLY_DAMAGED'] })
  code!: 'AUDIO_PARTLY_DAMAGED';

  @ApiProperty()
  message!: string;

  @ApiProperty()
  decoded_seconds!: number;

  @ApiPropertyOptional()
  expected_seconds?: number;

  @ApiProperty({ type: 'integer' })
  decoder_errors!: number;
}

@ApiSchema({ name: 'TranscriptSegment' })
export class TranscriptSegmentSchema implements TranscriptSegment {
  @ApiProperty({ type: 'integer' })
  id!: number;

  @ApiProperty()
  start!: number;

  @ApiProperty()
  end!: number;

  @ApiProperty()
  text!: string;

  @ApiPropertyOptional()
  avg_logprob?: number;

  @ApiPropertyOptional()
  no_speech_prob?: number;

  @ApiPropertyOptional()
  compression_ratio?: number;

  @ApiPropertyOptional()
  temperature?: number;

  @ApiPropertyOptional({ type: [String], enum: SEGMENT_FLAGS })
  flags?: SegmentFlag[];

  @ApiPropertyOptional({ type: [TranscriptWordSchema] })
  words?: TranscriptWordSchema[];

  @ApiPropertyOptional({ type: [AudioWarningSchema] })
  warnings?: AudioWarningSchema[];

  @ApiPropertyOptional({ description: 'Who spoke this segment, when diarization was asked for; a segment never spans two speakers.' })
  speaker?: string;
}

@ApiSchema({ name: 'TranscriptionResult', description: 'The native `json` answer: the whole result with segments (and words when asked).' })
export class TranscriptionResultSchema implements TranscriptionResult {
  @ApiProperty()
  text!: string;

  @ApiProperty({ description: 'ISO 639-1 code of the spoken (or detected) language.' })
  language!: string;

  @ApiProperty({ description: 'Seconds.' })
  duration!: number;

  @ApiProperty({ type: [TranscriptSegmentSchema] })
  segments!: TranscriptSegmentSchema[];

  @ApiPropertyOptional({ type: [TranscriptWordSchema], description: 'Present when word timestamps were asked for.' })
  words?: TranscriptWordSchema[];

  @ApiPropertyOptional({ type: [AudioWarningSchema] })
  warnings?: AudioWarningSchema[];
}

@ApiSchema({ name: 'VerboseSegment' })
export class VerboseSegmentSchema {
  @ApiProperty({ type: 'integer' })
  id!: number;

  @ApiProperty()
  start!: number;

  @ApiProperty()
  end!: number;

  @ApiProperty()
  text!: string;

  @ApiProperty()
  temperature!: number;

  @ApiProperty()
  compression_ratio!: number;

  @ApiPropertyOptional()
  avg_logprob?: number;

  @ApiPropertyOptional()
  no_speech_prob?: number;
}

@ApiSchema({ name: 'VerboseWord' })
export class VerboseWordSchema {
  @ApiProperty()
  word!: string;

  @ApiProperty()
  start!: number;

  @ApiProperty()
  end!: number;
}

@ApiSchema({ name: 'VerboseTranscription', description: "OpenAI's `verbose_json`: language as an English name; segments and words only when asked for." })
export class VerboseTranscriptionSchema {
  @ApiProperty({ enum: TASKS, enumName: 'Task' })
  task!: Task;

  @ApiProperty({ example: 'english' })
  language!: string;

  @ApiProperty()
  duration!: number;

  @ApiProperty()
  text!: string;

  @ApiPropertyOptional({ type: [VerboseSegmentSchema] })
  segments?: VerboseSegmentSchema[];

  @ApiPropertyOptional({ type: [VerboseWordSchema] })
  words?: VerboseWordSchema[];
}

@ApiSchema({ name: 'OpenAiTranscription', description: "OpenAI's `json` answer: the text only." })
export class OpenAiTranscriptionSchema {
  @ApiProperty()
  text!: string;
}

export const TRANSCRIPTION_SCHEMAS = [
  TranscriptWordSchema,
  AudioWarningSchema,
  TranscriptSegmentSchema,
  TranscriptionResultSchema,
  VerboseSegmentSchema,
  VerboseWordSchema,
  VerboseTranscriptionSchema,
  OpenAiTranscriptionSchema,
];
