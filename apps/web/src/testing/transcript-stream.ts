import { HttpEventType } from '@angular/common/http';
import type { TestRequest } from '@angular/common/http/testing';
import type { TranscriptionResult } from '@speech/contracts';

/** The body POST /transcribe streams for `result`: a delta per segment, then done with the whole result. */
export function transcriptStreamBody(result: TranscriptionResult): string[] {
  const deltas = result.segments.map((segment, index) => (index === 0 ? segment.text.trimStart() : segment.text));
  return [
    ...deltas.map((delta) => `data: ${JSON.stringify({ type: 'transcript.text.delta', delta })}\n\n`),
    `data: ${JSON.stringify({ type: 'transcript.text.done', text: result.text, result })}\n\n`,
  ];
}

/** Answers a streamed transcription as XHR reports it: partial text growing event by event, then the response. */
export function flushTranscriptStream(request: TestRequest, result: TranscriptionResult, { stopAfter }: { stopAfter?: number } = {}): void {
  const events = transcriptStreamBody(result);
  let body = '';
  for (const [index, event] of events.entries()) {
    if (stopAfter !== undefined && index >= stopAfter) return;
    body += event;
    request.event({ type: HttpEventType.DownloadProgress, loaded: body.length, partialText: body });
  }
  request.flush(body, { headers: { 'Content-Type': 'text/event-stream; charset=utf-8' } });
}
