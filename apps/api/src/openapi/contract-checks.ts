import type {
  AudioWarning,
  DiarizedSegment,
  DiarizedTranscription,
  Job,
  JobAccepted,
  JobAudio,
  JobError,
  JobEvent,
  JobLinks,
  JobList,
  JobOptions,
  JobWebhookPayload,
  JobWindows,
  OpenAIErrorBody,
  ProblemDetails,
  ServerVadStrategy,
  TranscriptionResult,
  TranscriptSegment,
  TranscriptWord,
  WebhookDelivery,
  WebhookSecret,
} from '@speech/contracts';
import type { HealthCheckResult } from '@nestjs/terminus';
import type { VerboseSegment, VerboseTranscription } from '@speech/transcript-formats';
import type { OpenAiErrorSchema, ProblemDetailsSchema } from './schemas/error.schemas';
import type {
  JobAcceptedSchema,
  JobAudioSchema,
  JobErrorSchema,
  JobEventSchema,
  JobLinksSchema,
  JobListSchema,
  JobOptionsSchema,
  JobSchema,
  JobWebhookPayloadSchema,
  JobWindowsSchema,
  ServerVadStrategySchema,
  WebhookDeliverySchema,
  WebhookSecretSchema,
} from './schemas/job.schemas';
import type { HealthCheckResultSchema } from './schemas/service.schemas';
import type {
  AudioWarningSchema,
  DiarizedSegmentSchema,
  DiarizedTranscriptionSchema,
  TranscriptionResultSchema,
  TranscriptSegmentSchema,
  TranscriptWordSchema,
  VerboseSegmentSchema,
  VerboseTranscriptionSchema,
} from './schemas/transcription.schemas';

/**
 * Compile-time drift check between the documented schema classes and the types the code really answers with.
 * `implements` on each class checks one way (every contract field is documented, with a compatible type); these
 * check the names both ways, so a documented field the contract does not have fails `tsc` too.
 * A failing line reads `Type 'false' is not assignable to type 'true'`: compare the two types it names.
 */
type SameFields<Schema, Contract> = [Exclude<keyof Schema, keyof Contract>, Exclude<keyof Contract, keyof Schema>] extends [never, never]
  ? true
  : false;
/** Optional in one, required in the other counts as drift too. */
type SameOptionality<Schema, Contract> = [Required<Schema>, Schema] extends [Required<Contract>, Contract] ? ([Contract] extends [Schema] ? true : false) : false;
type Checked<Schema, Contract> = SameFields<Schema, Contract> extends true ? SameOptionality<Schema, Contract> : false;

export type ContractChecks = [
  Checked<ProblemDetailsSchema, ProblemDetails>,
  Checked<OpenAiErrorSchema, OpenAIErrorBody>,
  Checked<JobErrorSchema, JobError>,
  Checked<JobOptionsSchema, JobOptions>,
  Checked<ServerVadStrategySchema, ServerVadStrategy>,
  Checked<JobAudioSchema, JobAudio>,
  Checked<JobWindowsSchema, JobWindows>,
  Checked<WebhookDeliverySchema, WebhookDelivery>,
  Checked<JobLinksSchema, JobLinks>,
  Checked<JobSchema, Job>,
  Checked<JobAcceptedSchema, JobAccepted>,
  Checked<JobListSchema, JobList>,
  Checked<JobEventSchema, JobEvent>,
  Checked<JobWebhookPayloadSchema, JobWebhookPayload>,
  Checked<WebhookSecretSchema, WebhookSecret>,
  Checked<TranscriptWordSchema, TranscriptWord>,
  Checked<AudioWarningSchema, AudioWarning>,
  Checked<TranscriptSegmentSchema, TranscriptSegment>,
  Checked<TranscriptionResultSchema, TranscriptionResult>,
  Checked<VerboseSegmentSchema, VerboseSegment>,
  Checked<VerboseTranscriptionSchema, VerboseTranscription>,
  Checked<DiarizedSegmentSchema, DiarizedSegment>,
  Checked<DiarizedTranscriptionSchema, DiarizedTranscription>,
  // terminus types every indicator map as Partial (values may be undefined): the names are what can drift.
  SameFields<HealthCheckResultSchema, HealthCheckResult>,
];

/** Fails to compile when any check above is false. */
export const CONTRACTS_MATCH: ContractChecks extends true[] ? true : never = true;
