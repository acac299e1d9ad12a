/**
 * Request fields of the audio pipeline (speaker diarization, voice activity detection, hallucination filter) that the
 * API accepts on POST /transcribe and POST /api/v1/jobs alike. Typed here until the generated client
 * (./generated/api.generated.ts) knows them; then `PipelineFieldName` can become a subset of `keyof TranscribeForm`.
 */

/** The API's bound on speaker counts (apps/api diarization options: 1 to 16). */
export const MAX_SPEAKERS = 16;

/** Who-spoke-when: an exact count, a range (either end optional), or neither (the API estimates it). */
export interface SpeakerRequest {
  readonly count?: number;
  readonly min?: number;
  readonly max?: number;
}

export interface PipelineOptions {
  /** Present: label segments and words with speakers. */
  readonly speakers?: SpeakerRequest;
  /** Skip non-speech before decoding (the API's default is on). */
  readonly vad: boolean;
  /** Drop the segments the API flags as suspicious instead of only flagging them. */
  readonly hallucinationFilter: boolean;
}

export const PIPELINE_DEFAULTS: PipelineOptions = { vad: true, hallucinationFilter: false };

type PipelineFieldName = 'diarize' | 'num_speakers' | 'min_speakers' | 'max_speakers' | 'vad' | 'hallucination_filter';

/**
 * The multipart fields for the options, in a fixed order. Only what differs from the API's defaults is sent, so a
 * request with default options is the same as before these fields existed.
 */
export function pipelineFormFields(options: PipelineOptions | undefined): [PipelineFieldName, string][] {
  if (!options) return [];
  const fields: [PipelineFieldName, string][] = [];
  const speakers = options.speakers;
  if (speakers) {
    fields.push(['diarize', 'true']);
    if (speakers.count !== undefined) fields.push(['num_speakers', String(speakers.count)]);
    if (speakers.min !== undefined) fields.push(['min_speakers', String(speakers.min)]);
    if (speakers.max !== undefined) fields.push(['max_speakers', String(speakers.max)]);
  }
  if (!options.vad) fields.push(['vad', 'false']);
  if (options.hallucinationFilter) fields.push(['hallucination_filter', 'true']);
  return fields;
}
