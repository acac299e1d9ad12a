import { SseParser } from './sse-parser';

describe('SseParser', () => {
  it('dispatches events on blank lines, with event type, id and multi-line data', () => {
    const parser = new SseParser();
    expect(parser.push('event: job\nid: 7\ndata: {"a":\ndata: 1}\n\n: keep-alive\n\ndata: plain\n\n')).toEqual([
      { event: 'job', data: '{"a":\n1}', id: '7' },
      { event: 'message', data: 'plain', id: '7' },
    ]);
  });

  it('joins lines split across chunks, including a CRLF split between chunks', () => {
    const parser = new SseParser();
    expect(parser.push('da')).toEqual([]);
    expect(parser.push('ta: hel')).toEqual([]);
    expect(parser.push('lo\r')).toEqual([]);
    expect(parser.push('\n\r\n')).toEqual([{ event: 'message', data: 'hello', id: undefined }]);
  });

  it('keeps the last id and the retry delay for reconnecting', () => {
    const parser = new SseParser();
    parser.push('retry: 2500\nid: 41\ndata: x\n\nretry: soon\n\n');
    expect(parser.lastEventId).toBe('41');
    expect(parser.retryMs).toBe(2500);
  });

  it('ignores events without data and fields it does not know', () => {
    const parser = new SseParser();
    expect(parser.push('event: ping\n\nfoo: bar\ndata\n\n')).toEqual([{ event: 'message', data: '', id: undefined }]);
  });
});
