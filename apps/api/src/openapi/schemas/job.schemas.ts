import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { SPEAKER_COUNT_SCHEMA } from '../../diarization/diarization-options';
import {
  type ErrorCode,
  JOB_EVENT_TYPES,
  JOB_STATUSES,
  RESPONSE_FORMATS,
  TASKS,
  TIMESTAMP_GRANULARITIES,
  type Job,
  type JobAccepted,
  type JobAudio,
  type JobError,
  type JobEvent,
  type JobEventType,
  type JobLinks,
  type JobList,
  type JobOptions,
  type JobStatus,
  type JobWebhookPayload,
  type JobWindows,
  type ServerVadStrategy,
  type ResponseFormat,
  type Task,
  type TimestampGranularity,
  type WebhookDelivery,
  type WebhookSecret,
} from '@speech/contracts';
import { ALL_ERROR_CODES } from './error.schemas';

/**
 * The jobs API's wire shapes, as OpenAPI schemas. Each class `implements` its contract from libs/contracts, and
 * contract-checks.ts asserts that the field names are the same both ways, so a field added to a contract and not
 * documented here fails the build.
 */

const ISO_TIME = { type: String, format: 'date-time' } as const;
const TERMINAL_EVENTS = ['job.succeeded', 'job.failed', 'job.cancelled'] as const;

@ApiSchema({ name: 'JobError' })
export class JobErrorSchema implements JobError {
  @ApiProperty({ enum: ALL_ERROR_CODES, enumName: 'ErrorCode' })
  code!: ErrorCode;

  @ApiProperty()
  message!: string;
}

@ApiSchema({ name: 'JobOptions', description: 'Decoding options the job was created with.' })
export class JobOptionsSchema implements JobOptions {
  @ApiPropertyOptional({ description: 'The model asked for (GET /v1/models lists them); absent: the default.', example: 'large-v3-turbo' })
  model?: string;

  @ApiPropertyOptional({ description: 'ISO 639-1 code; absent: detected.' })
  language?: string;

  @ApiProperty({ enum: TASKS, enumName: 'Task' })
  task!: Task;

  @ApiPropertyOptional()
  prompt?: string;

  @ApiProperty({ minimum: 0, maximum: 1 })
  temperature!: number;

  @ApiProperty()
  word_timestamps!: boolean;

  @ApiProperty({ enum: RESPONSE_FORMATS, enumName: 'ResponseFormat', description: 'The format `links.transcript` serves.' })
  response_format!: ResponseFormat;

  @ApiPropertyOptional({
    enum: TIMESTAMP_GRANULARITIES,
    isArray: true,
    description: 'Which timestamps the verbose_json transcript lists, as asked at creation (absent on older jobs).',
  })
  timestamp_granularities?: TimestampGranularity[];

  @ApiPropertyOptional({ type: 'integer', minimum: 10, maximum: 200, description: 'Subtitle rule: characters per line (only when set).' })
  max_line_width?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 10, description: 'Subtitle rule: lines per cue (only when set).' })
  max_line_count?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 60, description: 'Subtitle rule: longest cue in seconds (only when set).' })
  max_cue_duration?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 2, description: 'Subtitle rule: gap kept between cues in seconds (only when set).' })
  min_cue_gap?: number;

  @ApiPropertyOptional({ description: 'Subtitle rule: karaoke-style word timestamps in VTT (only when set).' })
  highlight_words?: boolean;

  @ApiPropertyOptional({ description: 'Speaker diarization over the whole recording (only when asked for).' })
  diarize?: boolean;

  @ApiPropertyOptional({ ...SPEAKER_COUNT_SCHEMA, description: 'Exact number of speakers, when given.' })
  num_speakers?: number;

  @ApiPropertyOptional({ ...SPEAKER_COUNT_SCHEMA, description: 'Fewest speakers, when given.' })
  min_speakers?: number;

  @ApiPropertyOptional({ ...SPEAKER_COUNT_SCHEMA, description: 'Most speakers, when given.' })
  max_speakers?: number;
  @ApiPropertyOptional({ description: 'Flagged segments (hallucinated, looping, outside speech) are left out (only when set).' })
  hallucination_filter?: boolean;
  @ApiPropertyOptional({ description: 'false: created with speech detection off (absent: on).' })
  vad?: boolean;

  @ApiPropertyOptional({ type: () => ServerVadStrategySchema, description: 'The server_vad settings the job was created with (absent: auto, or VAD off).' })
  chunking_strategy?: ServerVadStrategy;
}

@ApiSchema({ name: 'ServerVadStrategy', description: "OpenAI's chunking_strategy object: how speech is found before decoding." })
export class ServerVadStrategySchema implements ServerVadStrategy {
  @ApiProperty({ enum: ['server_vad'] })
  type!: 'server_vad';

  @ApiProperty({ minimum: 0, maximum: 1, description: 'Speech probability at or above which a 32 ms frame is speech.' })
  threshold!: number;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 2000, description: 'Audio kept before (and after) each speech region, ms.' })
  prefix_padding_ms!: number;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 10000, description: 'Silence that ends a speech region, ms.' })
  silence_duration_ms!: number;
}

@ApiSchema({ name: 'JobAudio' })
export class JobAudioSchema implements JobAudio {
  @ApiProperty({ type: String, nullable: true, description: 'File name as uploaded, when the client sent one.' })
  filename!: string | null;

  @ApiProperty({ type: 'integer' })
  bytes!: number;

  @ApiProperty({ type: Number, nullable: true, description: 'Known once the audio has been probed.' })
  duration_seconds!: number | null;
}

@ApiSchema({ name: 'JobWindows', description: 'Long audio is split at silences into windows, each transcribed on its own.' })
export class JobWindowsSchema implements JobWindows {
  @ApiProperty({ type: 'integer' })
  total!: number;

  @ApiProperty({ type: 'integer' })
  done!: number;
}

@ApiSchema({ name: 'WebhookDelivery', description: "One attempt to POST the job's final state to its callback_url." })
export class WebhookDeliverySchema implements WebhookDelivery {
  @ApiProperty(ISO_TIME)
  at!: string;

  @ApiProperty({ type: 'integer', nullable: true, description: 'null when no answer came.' })
  status_code!: number | null;

  @ApiProperty()
  ok!: boolean;

  @ApiProperty({ type: 'integer' })
  attempt!: number;

  @ApiProperty({ enum: JOB_STATUSES, enumName: 'JobStatus' })
  event!: JobStatus;

  @ApiPropertyOptional()
  error?: string;
}

@ApiSchema({ name: 'JobLinks' })
export class JobLinksSchema implements JobLinks {
  @ApiProperty({ description: '`GET` → this Job.' })
  self!: string;

  @ApiProperty({ description: '`GET` → the transcript in `options.response_format`.' })
  transcript!: string;

  @ApiProperty({ description: '`GET` → text/event-stream of JobEvent for this job.' })
  events!: string;
}

@ApiSchema({ name: 'Job', description: 'An async transcription job: queued → running → succeeded | failed | cancelled.' })
export class JobSchema implements Job {
  @ApiProperty()
  id!: string;

  @ApiProperty({ enum: JOB_STATUSES, enumName: 'JobStatus' })
  status!: JobStatus;

  @ApiProperty({ minimum: 0, maximum: 1 })
  progress!: number;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Seconds until done; null when unknown or finished.' })
  eta_seconds!: number | null;

  @ApiProperty(ISO_TIME)
  created_at!: string;

  @ApiProperty({ ...ISO_TIME, nullable: true })
  started_at!: string | null;

  @ApiProperty({ ...ISO_TIME, nullable: true })
  finished_at!: string | null;

  @ApiProperty(ISO_TIME)
  updated_at!: string;

  @ApiProperty({ type: 'integer' })
  attempts!: number;

  @ApiProperty({ type: 'integer' })
  max_attempts!: number;

  @ApiProperty({ type: JobErrorSchema, nullable: true })
  error!: JobErrorSchema | null;

  @ApiProperty({ type: JobOptionsSchema })
  options!: JobOptionsSchema;

  @ApiProperty({ type: JobAudioSchema })
  audio!: JobAudioSchema;

  @ApiProperty({ type: JobWindowsSchema })
  windows!: JobWindowsSchema;

  @ApiProperty({ type: String, nullable: true })
  callback_url!: string | null;

  @ApiProperty({ type: [WebhookDeliverySchema] })
  webhook_deliveries!: WebhookDeliverySchema[];

  @ApiProperty({ ...ISO_TIME, nullable: true, description: 'When the job and its transcript are purged; null until it ends.' })
  result_expires_at!: string | null;

  @ApiProperty({ type: JobLinksSchema })
  links!: JobLinksSchema;
}

@ApiSchema({ name: 'JobAccepted', description: 'Answer of a create (202): the job and where to poll it (also in Location).' })
export class JobAcceptedSchema extends JobSchema implements JobAccepted {
  @ApiProperty()
  status_url!: string;
}

@ApiSchema({ name: 'JobList', description: 'Newest first; pass next_cursor back as cursor for the next page.' })
export class JobListSchema implements JobList {
  @ApiProperty({ type: [JobSchema] })
  data!: JobSchema[];

  @ApiProperty({ type: String, nullable: true })
  next_cursor!: string | null;
}

@ApiSchema({ name: 'JobEvent', description: 'One server-sent event of the job streams: `event: job`, `id: <seq>`, `data: <this JSON>`.' })
export class JobEventSchema implements JobEvent {
  @ApiProperty({ enum: JOB_EVENT_TYPES, enumName: 'JobEventType' })
  type!: JobEventType;

  @ApiProperty({ type: 'integer', description: 'Increases per stream, so a client can spot gaps.' })
  seq!: number;

  @ApiProperty(ISO_TIME)
  at!: string;

  @ApiProperty({ type: JobSchema })
  job!: JobSchema;
}

@ApiSchema({ name: 'JobWebhookPayload', description: 'Body POSTed to callback_url when the job ends, signed (see WebhookSecret).' })
export class JobWebhookPayloadSchema implements JobWebhookPayload {
  @ApiProperty({ enum: TERMINAL_EVENTS })
  type!: (typeof TERMINAL_EVENTS)[number];

  @ApiProperty(ISO_TIME)
  at!: string;

  @ApiProperty({ type: JobSchema })
  job!: JobSchema;
}

@ApiSchema({ name: 'WebhookSecret', description: "What a receiver of the calling key's webhooks verifies them with." })
export class WebhookSecretSchema implements WebhookSecret {
  @ApiProperty()
  owner_id!: string;

  @ApiProperty({ description: '`whsec_…`: the HMAC key, used as the string it is.' })
  secret!: string;

  @ApiProperty()
  signature_header!: string;

  @ApiProperty()
  timestamp_header!: string;

  @ApiProperty()
  scheme!: string;
}

export const JOB_SCHEMAS = [
  JobErrorSchema,
  JobOptionsSchema,
  JobAudioSchema,
  JobWindowsSchema,
  WebhookDeliverySchema,
  JobLinksSchema,
  JobSchema,
  JobAcceptedSchema,
  JobListSchema,
  JobEventSchema,
  JobWebhookPayloadSchema,
  WebhookSecretSchema,
];
