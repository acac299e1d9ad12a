import { FrameBatcher, toBase64, toPcm16 } from './pcm16';

describe('toPcm16', () => {
  it('writes signed 16-bit little-endian samples, clamping outside -1..1', () => {
    const bytes = toPcm16(Float32Array.from([0, 1, -1, 0.5, 2, -2]));
    const view = new DataView(bytes.buffer);
    expect([0, 1, 2, 3, 4, 5].map((i) => view.getInt16(i * 2, true))).toEqual([0, 32767, -32768, 16384, 32767, -32768]);
    expect(Array.from(bytes.subarray(2, 4))).toEqual([0xff, 0x7f]); // little-endian 0x7fff
  });
});

describe('toBase64', () => {
  it('encodes like Node for buffers longer than one chunk', () => {
    const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7) % 256);
    expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
  });
});

describe('FrameBatcher', () => {
  it('hands out whole frames and keeps the rest for the next push or flush', () => {
    const batcher = new FrameBatcher(4);
    expect(batcher.push(Float32Array.from([1, 2, 3]))).toEqual([]);
    const frames = batcher.push(Float32Array.from([4, 5, 6, 7, 8, 9]));
    expect(frames.map((f) => Array.from(f))).toEqual([[1, 2, 3, 4], [5, 6, 7, 8]]);
    expect(Array.from(batcher.flush())).toEqual([9]);
    expect(batcher.flush().length).toBe(0);
  });
});
