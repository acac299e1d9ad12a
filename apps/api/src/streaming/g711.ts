/**
 * G.711 decoding (ITU-T G.711, the reference expansion of Sun's g711.c): one byte → one 16-bit linear sample.
 * Realtime clients send `audio/pcmu` (μ-law) or `audio/pcma` (A-law) at 8 kHz; both are tables of 256 values.
 */
function expandMuLaw(byte: number): number {
  const u = ~byte & 0xff;
  const magnitude = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
  return u & 0x80 ? 0x84 - magnitude : magnitude - 0x84;
}

function expandALaw(byte: number): number {
  const a = byte ^ 0x55;
  const segment = (a & 0x70) >> 4;
  let magnitude = (a & 0x0f) << 4;
  if (segment === 0) magnitude += 8;
  else magnitude = (magnitude + 0x108) << (segment - 1);
  return a & 0x80 ? magnitude : -magnitude;
}

export const MU_LAW_TABLE: Int16Array = Int16Array.from({ length: 256 }, (_, byte) => expandMuLaw(byte));
export const A_LAW_TABLE: Int16Array = Int16Array.from({ length: 256 }, (_, byte) => expandALaw(byte));

/** Bytes of G.711 → float samples in [-1, 1). */
export function decodeG711(bytes: Uint8Array, table: Int16Array): Float32Array {
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i += 1) out[i] = (table[bytes[i] as number] as number) / 32768;
  return out;
}

/** Little-endian PCM16 → float samples in [-1, 1); an odd trailing byte is left for the caller to carry over. */
export function decodePcm16(bytes: Uint8Array): Float32Array {
  const count = bytes.length >> 1;
  const view = new DataView(bytes.buffer, bytes.byteOffset, count * 2);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 1) out[i] = view.getInt16(i * 2, true) / 32768;
  return out;
}
