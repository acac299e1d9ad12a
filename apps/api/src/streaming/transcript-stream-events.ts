import type { TranscriptionResult } from '@speech/contracts';

/** OpenAI's streamed transcription events (the SDK's TranscriptionTextDeltaEvent / TranscriptionTextDoneEvent). */
export interface TranscriptTextDelta {
  readonly type: 'transcript.text.delta';
  readonly delta: string;
}
export interface TranscriptTextDone {
  readonly type: 'transcript.text.done';
  readonly text: string;
  /**
   * Native `/transcribe` only: the whole TranscriptionResult (what `response_format=json` answers), so a client that
   * showed the text as it came gets segments, words and timings without asking the engine again. Never on `/v1`,
   * whose events stay exactly OpenAI's.
   */
  readonly result?: TranscriptionResult;
}
export type TranscriptStreamEvent = TranscriptTextDelta | TranscriptTextDone;

/**
 * One delta per segment, then `done` with the whole text. The deltas concatenate to exactly `result.text` (which is the
 * segments joined and trimmed): a client that appends deltas ends with the same text `done` carries.
 * `flavour: 'native'` adds the whole result to `done` (see TranscriptTextDone.result).
 */
export function transcriptStreamEvents(result: TranscriptionResult, flavour: 'native' | 'openai' = 'openai'): TranscriptStreamEvent[] {
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
  events.push(transcriptDoneEvent(result, flavour));
  return events;
}

/** `done` with the whole text (and, native, the whole result). */
export function transcriptDoneEvent(result: TranscriptionResult, flavour: 'native' | 'openai'): TranscriptTextDone {
  return flavour === 'native' ? { type: 'transcript.text.done', text: result.text, result } : { type: 'transcript.text.done', text: result.text };
}

/**
 * The deltas of a transcription streamed while it runs: pieces of text as the engine produces them, then the final
 * text. The first piece loses its leading space (the final text is trimmed too). At the end, what the final text adds
 * after what was sent is one last delta; when tidying changed text already sent (rare), nothing more is sent and
 * `done` carries the final text, as it always does.
 */
export class StreamedTranscriptText {
  private sent = '';

  /** The delta for the next piece of text ('' when it adds nothing). */
  next(piece: string): string {
    const delta = this.sent.length === 0 ? piece.trimStart() : piece;
    this.sent += delta;
    return delta;
  }

  /** What the final text adds after the text sent so far, or '' when it does not begin with it. */
  rest(finalText: string): string {
    return finalText.startsWith(this.sent) ? finalText.slice(this.sent.length) : '';
  }

  get started(): boolean {
    return this.sent.length > 0;
  }
}
