import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { ApiKeyAuth } from '../api-access';
import { ApiOpenAiErrors, ApiProblems, AUDIO_UPLOAD, JOB_CREATION, KEYED_ROUTE, SERVED_ROUTE, SYNC_TRANSCRIPTION } from '../api-errors';
import { JobAcceptedSchema } from '../schemas/job.schemas';
import { DiarizedTranscriptionSchema, OpenAiTranscriptionSchema, TranscriptionResultSchema, VerboseTranscriptionSchema } from '../schemas/transcription.schemas';
import { TranscriptTextDeltaSchema, TranscriptTextDoneSchema } from '../schemas/transcript-stream.schemas';
import { oneOf, ref, transcriptContent } from '../success';

/** Answers of the transcription routes: `POST /transcribe` and the OpenAI-compatible `/v1/audio/*`. */

export const AUDIO_WARNING_HEADER_DOC = {
  'X-Audio-Warning': { description: 'AUDIO_PARTLY_DAMAGED when part of the audio could not be decoded.', schema: { type: 'string' } },
};

/** stream=true: the same 200, as server-sent events. */
const TRANSCRIPT_EVENT_STREAM = {
  'text/event-stream': {
    schema: {
      ...oneOf(TranscriptTextDeltaSchema, TranscriptTextDoneSchema),
      description: 'stream=true: `data: <event as JSON>` blocks, one TranscriptTextDelta per segment, then one TranscriptTextDone; the stream then ends.',
    },
  },
};

const IDEMPOTENCY_KEY = { name: 'Idempotency-Key', required: false, description: 'Replaying the same request with the same key answers the same job.' };

/** `POST /transcribe`: synchronous, or a job with async=true. */
export const ApiTranscribeResponses = (): MethodDecorator =>
  applyDecorators(
    ApiKeyAuth('transcribe'),
    ApiQuery({ name: 'async', required: false, type: Boolean, description: 'Same as the form field async.' }),
    ApiHeader({ ...IDEMPOTENCY_KEY, description: `With async=true: ${IDEMPOTENCY_KEY.description}` }),
    ApiResponse({
      status: 200,
      description:
        'The transcript in the requested response_format (json: TranscriptionResult; verbose_json: VerboseTranscription; diarized_json: DiarizedTranscription).',
      headers: AUDIO_WARNING_HEADER_DOC,
      content: { ...transcriptContent(oneOf(TranscriptionResultSchema, VerboseTranscriptionSchema, DiarizedTranscriptionSchema), true), ...TRANSCRIPT_EVENT_STREAM },
    }),
    ApiResponse({
      status: 202,
      description: 'async=true: the job, with status_url (GET /status/{id}); Location names it too.',
      headers: { Location: { description: 'The status URL.', schema: { type: 'string' } } },
      content: { 'application/json': { schema: ref(JobAcceptedSchema) } },
    }),
    ApiProblems(...SERVED_ROUTE, ...KEYED_ROUTE, ...AUDIO_UPLOAD, ...SYNC_TRANSCRIPTION, ...JOB_CREATION),
  );

/** `POST /v1/audio/transcriptions` and `/translations`: OpenAI's answers and error envelope. */
export const ApiOpenAiAudioResponses = (): MethodDecorator =>
  applyDecorators(
    ApiKeyAuth('transcribe'),
    ApiResponse({
      status: 200,
      description:
        'json: { text }; verbose_json: VerboseTranscription; diarized_json: DiarizedTranscription (transcriptions only); text, srt and vtt as text/plain (as OpenAI answers).',
      headers: AUDIO_WARNING_HEADER_DOC,
      content: { ...transcriptContent(oneOf(OpenAiTranscriptionSchema, VerboseTranscriptionSchema, DiarizedTranscriptionSchema), false), ...TRANSCRIPT_EVENT_STREAM },
    }),
    ApiOpenAiErrors(...SERVED_ROUTE, ...KEYED_ROUTE, ...AUDIO_UPLOAD, ...SYNC_TRANSCRIPTION),
  );
