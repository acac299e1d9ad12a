import type { TranscriptionResult } from '@speech/contracts';
import type OpenAI from 'openai';
import { StreamedTranscriptText, transcriptStreamEvents } from './transcript-stream-events';

const resultOf = (texts: string[]): TranscriptionResult => {
  const segments = texts.map((text, index) => ({ id: index, start: index, end: index + 1, text }));
  return { text: texts.join('').trim(), language: 'en', duration: texts.length, segments } as TranscriptionResult;
};

describe('transcriptStreamEvents', () => {
  it('sends one delta per segment whose concatenation is exactly the final text, then done', () => {
    const result = resultOf([' And so, my fellow Americans,', ' ask not what your country can do for you. ']);
    const events = transcriptStreamEvents(result);
    expect(events).toEqual([
      { type: 'transcript.text.delta', delta: 'And so, my fellow Americans,' },
      { type: 'transcript.text.delta', delta: ' ask not what your country can do for you.' },
      { type: 'transcript.text.done', text: result.text },
    ]);
    const deltas = events.flatMap((event) => (event.type === 'transcript.text.delta' ? [event.delta] : []));
    expect(deltas.join('')).toBe(result.text);
  });

  it('skips blank segments and still ends with done for silence', () => {
    expect(transcriptStreamEvents(resultOf([' ', ' Hello.', '  ']))).toEqual([
      { type: 'transcript.text.delta', delta: 'Hello.' },
      { type: 'transcript.text.done', text: 'Hello.' },
    ]);
    expect(transcriptStreamEvents(resultOf([]))).toEqual([{ type: 'transcript.text.done', text: '' }]);
  });

  it('native flavour: done also carries the whole result; the OpenAI flavour never does', () => {
    const result = resultOf([' Hello', ' world.']);
    expect(transcriptStreamEvents(result, 'native').at(-1)).toEqual({ type: 'transcript.text.done', text: 'Hello world.', result });
    expect(Object.keys(transcriptStreamEvents(result).at(-1) ?? {}).sort()).toEqual(['text', 'type']);
  });

  it("matches the official SDK's event types", () => {
    const events = transcriptStreamEvents(resultOf([' Hi.']));
    // Compile-time: every event we produce is one of the SDK's TranscriptionStreamEvent variants.
    const typed: OpenAI.Audio.TranscriptionStreamEvent[] = events.map((event) => ({ ...event }) satisfies OpenAI.Audio.TranscriptionStreamEvent);
    expect(typed.map((event) => event.type)).toEqual(['transcript.text.delta', 'transcript.text.done']);
  });

  it('StreamedTranscriptText: pieces as deltas (the first without its leading space), then what the final text adds', () => {
    const text = new StreamedTranscriptText();
    expect(text.started).toBe(false);
    expect(text.next(' And so my fellow Americans,')).toBe('And so my fellow Americans,');
    expect(text.next(' ask not')).toBe(' ask not');
    expect(text.started).toBe(true);
    expect(text.rest('And so my fellow Americans, ask not what your country can do for you.')).toBe(' what your country can do for you.');
    // Tidying changed text already sent: nothing more (done carries the final text).
    expect(text.rest('And so, my fellow Americans, ask not.')).toBe('');
  });
});
