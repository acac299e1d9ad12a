import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RESPONSE_FORMATS, TASKS, TIMESTAMP_GRANULARITIES } from '@speech/contracts';
import { SPEAKER_COUNT_SCHEMA } from '../diarization/diarization-options';

/** OpenAPI descriptions of the multipart forms; validation lives in transcribe-options.parser.ts. */
class CommonForm {
  @ApiProperty({ type: 'string', format: 'binary', description: 'Audio: mp3, wav, m4a/mp4, flac, ogg/opus or webm (decided by content).' })
  file!: unknown;

  @ApiPropertyOptional({ description: 'Text that guides spelling and style.' })
  prompt?: string;

  @ApiPropertyOptional({ enum: RESPONSE_FORMATS, default: 'json' })
  response_format?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 1, default: 0 })
  temperature?: number;

  // Subtitle rules for srt/vtt (any one of them switches from one cue per segment to cues built by the rules;
  // the others then take their defaults). Not OpenAI fields: OpenAI's SDKs pass them as extra form fields.
  @ApiPropertyOptional({ type: Number, minimum: 10, maximum: 200, description: 'SRT/VTT: characters per line (default 42).' })
  max_line_width?: number;

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 10, description: 'SRT/VTT: lines per cue (default 2).' })
  max_line_count?: number;

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 60, description: 'SRT/VTT: seconds a cue lasts at most (default 7).' })
  max_cue_duration?: number;

  @ApiPropertyOptional({ type: Number, minimum: 0, maximum: 2, description: 'SRT/VTT: seconds between cues at least (default 0.08, two frames at 25 fps).' })
  min_cue_gap?: number;

  @ApiPropertyOptional({ type: Boolean, description: 'VTT: karaoke-style word timing (a <c> span per word, preceded by its cue timestamp).' })
  highlight_words?: boolean;

  // Speaker diarization. response_format=diarized_json turns it on as well.
  @ApiPropertyOptional({
    type: Boolean,
    description: 'Label who spoke when: segments[].speaker and words[].speaker in json/verbose_json, "A: " in SRT, <v A> in VTT.',
  })
  diarize?: boolean;

  @ApiPropertyOptional({ ...SPEAKER_COUNT_SCHEMA, description: 'With diarize: the exact number of speakers (else estimated).' })
  num_speakers?: number;

  @ApiPropertyOptional({ ...SPEAKER_COUNT_SCHEMA, description: 'With diarize: the fewest speakers to find.' })
  min_speakers?: number;

  @ApiPropertyOptional({ ...SPEAKER_COUNT_SCHEMA, description: 'With diarize: the most speakers to find.' })
  max_speakers?: number;
  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description: 'Leave out segments flagged known_hallucination, repetition or outside_speech (low_confidence ones stay). Not an OpenAI field.',
  })
  hallucination_filter?: boolean;
  // Speech detection (Silero VAD) before decoding, on by default: only speech reaches the engine (apps/api/src/vad).
  @ApiPropertyOptional({ type: Boolean, default: true, description: 'false: send the whole audio to the model, pauses included (not with chunking_strategy).' })
  vad?: boolean;

  @ApiPropertyOptional({
    description:
      'OpenAI\'s chunking_strategy: "auto" (default), or a JSON object {"type":"server_vad","threshold":0.5,"prefix_padding_ms":300,"silence_duration_ms":200} (also accepted as chunking_strategy[type], chunking_strategy[threshold], … form fields). threshold 0–1, prefix_padding_ms 0–2000, silence_duration_ms 0–10000.',
    example: 'auto',
  })
  chunking_strategy?: string;
}

/** OpenAI's known speakers (synchronous requests only): a name per reference clip, in the same order. */
class KnownSpeakersForm extends CommonForm {
  @ApiPropertyOptional({ type: [String], name: 'known_speaker_names[]', maxItems: 4, description: 'Labels for the speakers of known_speaker_references[].' })
  known_speaker_names?: string[];

  @ApiPropertyOptional({
    type: [String],
    name: 'known_speaker_references[]',
    maxItems: 4,
    description: 'Data URLs (data:audio/wav;base64,…) of 2–10 s clips of each known speaker; a matching speaker is labelled with its name.',
  })
  known_speaker_references?: string[];
}

export class TranscribeForm extends KnownSpeakersForm {
  @ApiPropertyOptional({ description: 'ISO 639-1 code; omit (or "auto") to detect.', example: 'en' })
  language?: string;

  @ApiPropertyOptional({ enum: TASKS, default: 'transcribe', description: '`translate` produces English text.' })
  task?: string;

  @ApiPropertyOptional({ type: [String], enum: TIMESTAMP_GRANULARITIES, description: 'Include `word` for word timestamps.' })
  timestamp_granularities?: string[];

  @ApiPropertyOptional({ type: Boolean, description: 'Same as timestamp_granularities=word.' })
  word_timestamps?: boolean;

  @ApiPropertyOptional({ type: Boolean, description: 'Create an async job instead (202 + status_url); also accepted as ?async=true.' })
  async?: boolean;

  @ApiPropertyOptional({ description: 'With async=true: URL that receives the signed final state of the job.' })
  callback_url?: string;

  @ApiPropertyOptional({ type: Boolean, description: 'Answer with server-sent events (text/event-stream): `transcript.text.delta` per segment, then `transcript.text.done`, as OpenAI sends them; here `done` also carries the whole result. Only with response_format json or text.' })
  stream?: boolean;
}

/** `POST /api/v1/jobs`: the same fields as `POST /transcribe`. */
export class JobForm extends TranscribeForm {}

export class OpenAiTranslationForm extends CommonForm {
  @ApiPropertyOptional({ description: 'A served model (GET /v1/models); `whisper-1` or absent: the configured default (for translations, the translation model).', example: 'whisper-1' })
  model?: string;
}

export class OpenAiTranscriptionForm extends KnownSpeakersForm {
  @ApiPropertyOptional({ description: 'Accepted for compatibility; the server uses its configured model.', example: 'whisper-1' })
  model?: string;

  @ApiPropertyOptional({ description: 'ISO 639-1 code; omit to detect.', example: 'en' })
  language?: string;

  @ApiPropertyOptional({ type: [String], enum: TIMESTAMP_GRANULARITIES, name: 'timestamp_granularities[]' })
  timestamp_granularities?: string[];

  @ApiPropertyOptional({ type: Boolean, description: 'Answer with server-sent events (text/event-stream): `transcript.text.delta` per segment, then `transcript.text.done`, as OpenAI sends them. Only with response_format json or text.' })
  stream?: boolean;
}
