import { A_LAW_TABLE, decodeG711, decodePcm16, MU_LAW_TABLE } from '../streaming/g711';
import { PolyphaseResampler } from '../streaming/polyphase-resampler';
import { VAD_SAMPLE_RATE } from '../vad/speech-detector.port';
import type { InputAudioFormat } from './session-settings';

const INPUT_RATES: Record<InputAudioFormat, number> = { pcm16: 24_000, g711_ulaw: 8_000, g711_alaw: 8_000 };

/** Appended audio in the session's format → 16 kHz float samples, carrying resampler state and a split PCM16 byte. */
export class InputAudio {
  private readonly resampler: PolyphaseResampler;
  private oddByte: number | null = null;

  constructor(readonly format: InputAudioFormat) {
    this.resampler = new PolyphaseResampler(INPUT_RATES[format], VAD_SAMPLE_RATE);
  }

  /** Input bytes in `format` per second of audio (for buffer limits). */
  get bytesPerSecond(): number {
    return INPUT_RATES[this.format] * (this.format === 'pcm16' ? 2 : 1);
  }

  decode(bytes: Uint8Array): Float32Array {
    return this.resampler.push(this.toFloat(bytes));
  }

  private toFloat(bytes: Uint8Array): Float32Array {
    if (this.format === 'g711_ulaw') return decodeG711(bytes, MU_LAW_TABLE);
    if (this.format === 'g711_alaw') return decodeG711(bytes, A_LAW_TABLE);
    let whole = bytes;
    if (this.oddByte !== null) {
      whole = new Uint8Array(bytes.length + 1);
      whole[0] = this.oddByte;
      whole.set(bytes, 1);
    }
    this.oddByte = whole.length % 2 === 1 ? (whole[whole.length - 1] as number) : null;
    return decodePcm16(whole);
  }
}
