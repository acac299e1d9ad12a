import type { TranscriptionResult } from '@speech/contracts';

/** OpenAI's streamed transcription events (the SDK's TranscriptionTextDeltaEvent / TranscriptionTextDoneEvent). */
export interface TranscriptTextDelta {
  readonly type: 'transcript.text.delta';
  readonly delta: string;
}
export interface TranscriptTextDone {
  readonly type: 'transcript.text.done';
  readonly text: string;
}
export type TranscriptStreamEvent = TranscriptTextDelta | TranscriptTextDone;

/**
 * One delta per segment, then `done` with the whole text. The deltas concatenate to exactly `result.text` (which is the
 * segments joined and trimmed): a client that appends deltas ends with the same text `done` carries.
 */
export function transcriptStreamEvents(result: TranscriptionResult): TranscriptStreamEvent[] {
  const joined = result.segments.map((segment) => segment.text).join('');
  const start = joined.length - joined.trimStart().length;
  const end = joined.trimEnd().length;
  const events: TranscriptStreamEvent[] = [];
  let offset = 0;
  for (const segment of result.segments) {
    const from = Math.max(offset, start);
    const to = Math.min(offset + segment.text.length, end);
    offset += segment.text.length;
    if (to > from) events.push({ type: 'transcript.text.delta', delta: joined.slice(from, to) });
  }
  events.push({ type: 'transcript.text.done', text: result.text });
  return events;
}
