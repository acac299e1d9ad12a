import { DOCUMENT } from '@angular/common';
import { inject, Injectable, signal } from '@angular/core';
import { FrameBatcher, toBase64, toPcm16 } from './pcm16';
import { REALTIME_SAMPLE_RATE } from './realtime-events';
import { Resampler } from './resampler';

/** 100 ms of 24 kHz audio per `input_audio_buffer.append`. */
const FRAME_SAMPLES = REALTIME_SAMPLE_RATE / 10;

/** Why the microphone could not start, in terms the page can explain. */
export type MicrophoneProblem = 'denied' | 'missing' | 'busy' | 'unsupported';

export class MicrophoneError extends Error {
  constructor(readonly problem: MicrophoneProblem, cause?: unknown) {
    super(`microphone ${problem}`, { cause });
  }
}

/**
 * The microphone as base64 PCM16 mono 24 kHz batches. The AudioWorklet (public/pcm-capture.worklet.js) hands
 * out blocks at the device's rate; they are resampled with a low-passed sinc kernel here.
 */
@Injectable({ providedIn: 'root' })
export class MicrophoneCapture {
  private readonly document = inject(DOCUMENT);
  /** RMS of the latest block, 0..1, for the level meter. */
  readonly level = signal(0);
  private context?: AudioContext;
  private stream?: MediaStream;
  private batcher?: FrameBatcher;
  private sink?: (base64Pcm16: string) => void;

  async start(sink: (base64Pcm16: string) => void): Promise<void> {
    const media = this.document.defaultView?.navigator.mediaDevices;
    if (!media?.getUserMedia || typeof AudioWorkletNode === 'undefined') throw new MicrophoneError('unsupported');
    try {
      this.stream = await media.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true } });
    } catch (error) {
      throw new MicrophoneError(problemOf(error), error);
    }
    const context = new AudioContext();
    this.context = context;
    await context.audioWorklet.addModule(new URL('pcm-capture.worklet.js', this.document.baseURI).href);
    const source = context.createMediaStreamSource(this.stream);
    const node = new AudioWorkletNode(context, 'pcm-capture', { numberOfInputs: 1, numberOfOutputs: 0, channelCount: 1 });
    const resampler = new Resampler(context.sampleRate, REALTIME_SAMPLE_RATE);
    this.batcher = new FrameBatcher(FRAME_SAMPLES);
    this.sink = sink;
    node.port.onmessage = (event: MessageEvent<Float32Array>) => {
      this.level.set(rms(event.data));
      for (const frame of this.batcher?.push(resampler.push(event.data)) ?? []) sink(toBase64(toPcm16(frame)));
    };
    source.connect(node);
  }

  /** Stops the tracks (the browser's recording indicator goes off) and sends what is left of the last batch. */
  async stop(): Promise<void> {
    this.stream?.getTracks().forEach((track) => track.stop());
    const rest = this.batcher?.flush();
    if (rest?.length && this.sink) this.sink(toBase64(toPcm16(rest)));
    await this.context?.close().catch(() => undefined);
    this.stream = this.context = this.batcher = this.sink = undefined;
    this.level.set(0);
  }
}

function problemOf(error: unknown): MicrophoneProblem {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'missing';
  if (name === 'NotReadableError' || name === 'AbortError') return 'busy';
  return 'unsupported';
}

function rms(samples: Float32Array): number {
  let sum = 0;
  for (const value of samples) sum += value * value;
  return Math.sqrt(sum / Math.max(1, samples.length));
}
