import type { TranscriptionResult } from '../api/generated/api.generated';
import { finalResult, GrowingBodyReader, TranscriptStreamReader } from './transcript-stream';

const RESULT: TranscriptionResult = {
  text: 'And so, my fellow Americans.',
  language: 'en',
  duration: 11,
  segments: [{ id: 0, start: 0, end: 4, text: ' And so, my fellow Americans.' }],
} as TranscriptionResult;

const BODY = [
  'data: {"type":"transcript.text.delta","delta":"And so"}\n\n',
  'data: {"type":"transcript.text.delta","delta":", my fellow"}\r\n\r\n',
  ': keep-alive\n\n',
  `data: ${JSON.stringify({ type: 'transcript.text.done', text: RESULT.text, result: RESULT })}\n\n`,
].join('');

describe('TranscriptStreamReader', () => {
  it('grows the text delta by delta and ends with the done text and result', () => {
    const reader = new TranscriptStreamReader();
    const seen: string[] = [];
    for (const block of BODY.split(/(?<=\n\n)/)) if (reader.push(block)) seen.push(reader.text);
    expect(seen).toEqual(['And so', 'And so, my fellow', 'And so, my fellow Americans.']);
    expect(reader.done?.result).toEqual(RESULT);
  });

  it('reads the same events however the body is split: every size of chunk, and "\\r\\n" cut in two', () => {
    for (const size of [1, 2, 3, 7, 13, 64]) {
      const reader = new TranscriptStreamReader();
      const seen: string[] = [];
      for (let at = 0; at < BODY.length; at += size) if (reader.push(BODY.slice(at, at + size))) seen.push(reader.text);
      expect(seen).toEqual(['And so', 'And so, my fellow', 'And so, my fellow Americans.']);
      expect(reader.done?.result).toEqual(RESULT);
    }
  });

  it('ignores what it does not know (OpenAI\'s [DONE], other types, broken JSON) and keeps the deltas without done', () => {
    const reader = new TranscriptStreamReader();
    reader.push('data: {"type":"transcript.text.delta","delta":"Hi"}\n\ndata: {"type":"other"}\n\ndata: {oops\n\ndata: [DONE]\n\n');
    expect(reader.text).toBe('Hi');
    expect(reader.done).toBeUndefined();
  });
});

describe('TranscriptStreamReader failures', () => {
  it('keeps the text that came and reads the error event that ended the stream (native and OpenAI shapes)', () => {
    const native = new TranscriptStreamReader();
    native.push('data: {"type":"transcript.text.delta","delta":"And so"}\n\n');
    native.push('data: {"type":"error","error":{"code":"ENGINE_FAILED","status":502,"detail":"The engine crashed.","request_id":"r-1"}}\n\n');
    expect(native.text).toBe('And so');
    expect(native.done).toBeUndefined();
    expect(native.failure).toEqual({ code: 'ENGINE_FAILED', status: 502, detail: 'The engine crashed.', requestId: 'r-1' });
    const openai = new TranscriptStreamReader();
    openai.push('data: {"type":"error","error":{"message":"Too slow.","type":"server_error","param":null,"code":"ENGINE_TIMEOUT"}}\n\n');
    expect(openai.failure).toEqual({ code: 'ENGINE_TIMEOUT', status: 504, detail: 'Too slow.' });
    expect(new TranscriptStreamReader().failure).toBeUndefined();
  });
});

describe('GrowingBodyReader', () => {
  it('hands the reader only what is new in the body so far, and says when the text changed', () => {
    const growing = new GrowingBodyReader();
    const cut = BODY.indexOf('my fellow');
    expect(growing.read(BODY.slice(0, 20))).toBeUndefined();
    expect(growing.read(BODY.slice(0, cut))).toBe('And so');
    expect(growing.read(BODY.slice(0, cut))).toBeUndefined();
    expect(growing.read(BODY)).toBe('And so, my fellow Americans.');
    expect(growing.reader.done?.result).toEqual(RESULT);
  });
});

describe('finalResult', () => {
  it('takes the result from the done event of a stream, or the body of a plain JSON answer', () => {
    const reader = new TranscriptStreamReader();
    reader.push(BODY);
    expect(finalResult(reader, 'text/event-stream; charset=utf-8', BODY)).toEqual(RESULT);
    expect(finalResult(new TranscriptStreamReader(), 'application/json', JSON.stringify(RESULT))).toEqual(RESULT);
    expect(finalResult(new TranscriptStreamReader(), 'application/json', '{"text":"no segments"}')).toBeUndefined();
  });
});
