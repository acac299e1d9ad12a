import type { AudioFormat } from '@speech/contracts';
import { id3TagLength, MPEG_PROBE_BYTES, SNIFF_BYTES, sniffAudioFormat } from './format-sniffer';
import { mpegDeclaredSeconds } from './mpeg-frame';

/** What the sniffer knows so far: nothing yet, the format, or that the upload is not audio we accept. */
export type SniffVerdict = { readonly kind: 'pending' } | { readonly kind: 'format'; readonly format: AudioFormat } | { readonly kind: 'unsupported' };

const PENDING: SniffVerdict = { kind: 'pending' };

/**
 * The file sniffer's rules (format-sniffer.ts) applied to an upload while it arrives, so a refusal can be made
 * before the body is read and the decoder can start on the first bytes. It keeps only the two windows the rules
 * look at — the first SNIFF_BYTES and, behind an ID3 tag, MPEG_PROBE_BYTES where the first frame must start — and
 * hands them to the same sniffAudioFormat(), so it decides exactly as sniffAudioFile() would on the whole file.
 */
export class StreamSniffer {
  private head = Buffer.alloc(0);
  private afterId3 = Buffer.alloc(0);
  private tagLength: number | undefined;
  private received = 0;
  private verdict: SniffVerdict = PENDING;

  /** Feed the next bytes of the upload; the verdict once it is known (and from then on, unchanged). */
  push(chunk: Uint8Array): SniffVerdict {
    if (this.verdict.kind !== 'pending') return this.verdict;
    const start = this.received;
    this.received += chunk.length;
    if (this.head.length < SNIFF_BYTES) {
      this.head = Buffer.concat([this.head, chunk.subarray(0, SNIFF_BYTES - this.head.length)]);
      if (this.head.length < SNIFF_BYTES) return PENDING;
      this.tagLength = id3TagLength(this.head);
      if (this.tagLength === undefined) return this.decide();
      // A short tag: the window starts inside the head, in bytes of earlier chunks; this chunk's part is cut below.
      this.afterId3 = this.head.subarray(Math.min(this.tagLength, start), start);
    }
    if (this.tagLength === undefined) return this.decide();
    // The window [tagLength, tagLength + MPEG_PROBE_BYTES) of the whole upload, cut from this chunk.
    const from = Math.max(this.tagLength + this.afterId3.length, start);
    const to = Math.min(this.tagLength + MPEG_PROBE_BYTES, this.received);
    if (to > from) this.afterId3 = Buffer.concat([this.afterId3, chunk.subarray(from - start, to - start)]);
    return this.afterId3.length >= MPEG_PROBE_BYTES ? this.decide() : PENDING;
  }

  /** The upload ended: decide on what arrived (a short file is judged as the file sniffer judges it). */
  end(): SniffVerdict {
    if (this.verdict.kind !== 'pending') return this.verdict;
    if (this.head.length < SNIFF_BYTES) {
      // The whole upload is in `head`: the window behind a tag, if any, is cut from it.
      this.tagLength = id3TagLength(this.head);
      if (this.tagLength !== undefined) this.afterId3 = this.head.subarray(this.tagLength, this.tagLength + MPEG_PROBE_BYTES);
    }
    return this.decide();
  }

  /** For an mp3: the length its first frame declares (Xing/Info/VBRI), read from the bytes the sniffer kept. */
  mp3DeclaredSeconds(): number | undefined {
    return mpegDeclaredSeconds(this.tagLength === undefined ? this.head : this.afterId3);
  }

  private decide(): SniffVerdict {
    const format = sniffAudioFormat(this.head, this.tagLength === undefined ? undefined : this.afterId3);
    this.verdict = format ? { kind: 'format', format } : { kind: 'unsupported' };
    return this.verdict;
  }
}
