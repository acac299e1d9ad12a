import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import type { TranscriptTextDelta, TranscriptTextDone } from '../../streaming/transcript-stream-events';
import { TranscriptionResultSchema } from './transcription.schemas';

/** The events of a `stream=true` answer (text/event-stream), as OpenAI sends them. */

@ApiSchema({ name: 'TranscriptTextDelta', description: 'More text; the deltas of a stream concatenate to the `done` text.' })
export class TranscriptTextDeltaSchema implements TranscriptTextDelta {
  @ApiProperty({ enum: ['transcript.text.delta'] })
  type!: 'transcript.text.delta';

  @ApiProperty()
  delta!: string;
}

@ApiSchema({ name: 'TranscriptTextDone', description: 'The last event of a stream: the whole text.' })
export class TranscriptTextDoneSchema implements TranscriptTextDone {
  @ApiProperty({ enum: ['transcript.text.done'] })
  type!: 'transcript.text.done';

  @ApiProperty()
  text!: string;

  @ApiPropertyOptional({
    type: () => TranscriptionResultSchema,
    description: 'Native `POST /transcribe` only: the whole result (the `json` answer), sent once at the end. Never on `/v1` (OpenAI\'s shape).',
  })
  result?: TranscriptionResultSchema;
}

export const TRANSCRIPT_STREAM_SCHEMAS = [TranscriptTextDeltaSchema, TranscriptTextDoneSchema];
