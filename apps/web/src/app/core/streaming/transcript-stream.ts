import { ERROR_CODES, isErrorCode } from '@speech/contracts';
import type { ApiFailure } from '../api/api-error';
import { SseParser } from '../api/sse-parser';
import type { TranscriptionResult, TranscriptTextDelta, TranscriptTextDone } from '../api/generated/api.generated';

export type TranscriptStreamEvent = TranscriptTextDelta | TranscriptTextDone;

/**
 * Reads a streamed transcription (`stream=true`: server-sent `transcript.text.delta` events, then one
 * `transcript.text.done`) as its text arrives, in chunks split anywhere — mid-line, mid-event, mid-"\r\n".
 * On the native route `done` also carries the whole result, so the caller needs no second request.
 */
export class TranscriptStreamReader {
  private readonly parser = new SseParser();
  private soFar = '';
  private final: TranscriptTextDone | undefined;
  private failed: ApiFailure | undefined;

  /** The text so far: the deltas appended, or the `done` text once it came (which the deltas add up to). */
  get text(): string {
    return this.final?.text ?? this.soFar;
  }

  /** The last event, once it came. */
  get done(): TranscriptTextDone | undefined {
    return this.final;
  }

  /**
   * Why the stream ended without `done`: the server's last event was an error (a failure after text went out cannot
   * be an HTTP status any more), with its stable code.
   */
  get failure(): ApiFailure | undefined {
    return this.failed;
  }

  /** Feeds the next chunk of the body; true when the text changed. */
  push(chunk: string): boolean {
    const before = this.text;
    for (const message of this.parser.push(chunk)) {
      this.failed ??= streamFailure(message.data);
      const event = parseEvent(message.data);
      if (event?.type === 'transcript.text.delta' && !this.final) this.soFar += event.delta;
      else if (event?.type === 'transcript.text.done') this.final = event;
    }
    return this.text !== before;
  }
}

/**
 * Follows a response body that grows (XHR's partial text is the whole body so far): hands only what is new to the
 * reader. Returns the reader's text when it changed, else undefined.
 */
export class GrowingBodyReader {
  readonly reader = new TranscriptStreamReader();
  private consumed = 0;

  read(bodySoFar: string): string | undefined {
    const fresh = bodySoFar.slice(this.consumed);
    this.consumed = bodySoFar.length;
    return fresh.length > 0 && this.reader.push(fresh) ? this.reader.text : undefined;
  }
}

/** The whole result at the end of a stream, or of a server that answered plain JSON (one that ignores `stream`). */
export function finalResult(reader: TranscriptStreamReader, contentType: string | null, body: string): TranscriptionResult | undefined {
  if (contentType?.startsWith('text/event-stream')) return reader.done?.result;
  try {
    const parsed = JSON.parse(body) as Partial<TranscriptionResult>;
    return typeof parsed.text === 'string' && Array.isArray(parsed.segments) ? (parsed as TranscriptionResult) : undefined;
  } catch {
    return undefined;
  }
}

function parseEvent(data: string): TranscriptStreamEvent | undefined {
  try {
    const parsed = JSON.parse(data) as Partial<TranscriptStreamEvent>;
    if (parsed.type === 'transcript.text.delta' && typeof parsed.delta === 'string') return parsed as TranscriptTextDelta;
    if (parsed.type === 'transcript.text.done' && typeof parsed.text === 'string') return parsed as TranscriptTextDone;
  } catch {
    // not JSON (e.g. OpenAI's "[DONE]"): ignored, like any event this reader does not know
  }
  return undefined;
}

/**
 * The error event that ends a stream which failed after its first text: `{"type":"error","error":{…}}` with OpenAI's
 * error fields under /v1 (message, code) or problem+json fields on the native route (detail, code, status, request_id).
 */
function streamFailure(data: string): ApiFailure | undefined {
  try {
    const parsed = JSON.parse(data) as { type?: unknown; error?: Record<string, unknown> };
    if (parsed.type !== 'error' || typeof parsed.error !== 'object' || parsed.error === null) return undefined;
    const { code, status, detail, message, request_id: requestId } = parsed.error;
    return {
      ...(isErrorCode(code) ? { code } : {}),
      // OpenAI's error fields carry no status: the code's own.
      status: typeof status === 'number' ? status : isErrorCode(code) ? ERROR_CODES[code].status : 200,
      ...(typeof detail === 'string' ? { detail } : typeof message === 'string' ? { detail: message } : {}),
      ...(typeof requestId === 'string' ? { requestId } : {}),
    };
  } catch {
    return undefined;
  }
}
