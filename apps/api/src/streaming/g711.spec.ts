import { execFileSync } from 'node:child_process';
import { A_LAW_TABLE, decodeG711, decodePcm16, MU_LAW_TABLE } from './g711';

/** ffmpeg's own G.711 decoders, on all 256 byte values: the real thing our tables must equal. */
function ffmpegDecode(format: 'mulaw' | 'alaw'): Int16Array {
  const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const out = execFileSync('ffmpeg', ['-v', 'error', '-f', format, '-ar', '8000', '-ac', '1', '-i', 'pipe:0', '-f', 's16le', '-acodec', 'pcm_s16le', 'pipe:1'], { input: bytes });
  return new Int16Array(out.buffer, out.byteOffset, out.length / 2);
}

describe('G.711 tables', () => {
  it('μ-law: the known values of ITU-T G.711, and every byte as ffmpeg decodes it', () => {
    expect(MU_LAW_TABLE[0xff]).toBe(0);
    expect(MU_LAW_TABLE[0x7f]).toBe(0);
    expect(MU_LAW_TABLE[0x00]).toBe(-32124);
    expect(MU_LAW_TABLE[0x80]).toBe(32124);
    expect(MU_LAW_TABLE[0xfe]).toBe(8);
    expect(Array.from(MU_LAW_TABLE)).toEqual(Array.from(ffmpegDecode('mulaw')));
  });

  it('A-law: the known values of ITU-T G.711, and every byte as ffmpeg decodes it', () => {
    expect(A_LAW_TABLE[0xd5]).toBe(8);
    expect(A_LAW_TABLE[0x55]).toBe(-8);
    expect(A_LAW_TABLE[0xaa]).toBe(32256);
    expect(A_LAW_TABLE[0x2a]).toBe(-32256);
    expect(Array.from(A_LAW_TABLE)).toEqual(Array.from(ffmpegDecode('alaw')));
  });

  it('decodes bytes to floats in [-1, 1)', () => {
    expect(Array.from(decodeG711(Uint8Array.from([0xff, 0x80]), MU_LAW_TABLE))).toEqual([0, 32124 / 32768]);
    expect(Array.from(decodePcm16(Uint8Array.from([0x00, 0x80, 0xff, 0x7f, 0x01])))).toEqual([-1, 32767 / 32768]);
  });
});
