import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { workspaceRoot } from '@speech/test-support';
import WebSocket from 'ws';
import { assertRealtimeServerEvent } from '../../support/realtime-event-shapes';

export const JFK_WAV = join(workspaceRoot(), 'node_modules/nodejs-whisper/cpp/whisper.cpp/bindings/go/samples/jfk.wav');

/** Audio as a realtime client sends it: PCM16 24 kHz (`pcm16`) or G.711 8 kHz, decoded by ffmpeg. */
export function realtimeAudio(file: string, format: 'pcm16' | 'g711_ulaw' | 'g711_alaw'): Buffer {
  const args =
    format === 'pcm16'
      ? ['-ar', '24000', '-f', 's16le', '-acodec', 'pcm_s16le']
      : ['-ar', '8000', '-f', format === 'g711_ulaw' ? 'mulaw' : 'alaw', '-acodec', format === 'g711_ulaw' ? 'pcm_mulaw' : 'pcm_alaw'];
  return execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-ac', '1', ...args, 'pipe:1'], { maxBuffer: 256 * 1024 * 1024 });
}

export const bytesPerSecond = (format: 'pcm16' | 'g711_ulaw' | 'g711_alaw') => (format === 'pcm16' ? 48_000 : 8_000);

export interface ReceivedEvent {
  readonly event: Record<string, unknown> & { type: string };
  /** performance.now() when it arrived. */
  readonly at: number;
}

/** A raw `ws` client that records every server event (each checked against the SDK's declared shapes) with its arrival time. */
export class RealtimeTestClient {
  readonly received: ReceivedEvent[] = [];
  readonly problems: string[] = [];
  private waiters: Array<() => void> = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const event = JSON.parse(data.toString()) as ReceivedEvent['event'];
      try {
        assertRealtimeServerEvent(event);
      } catch (error) {
        this.problems.push(String(error));
      }
      this.received.push({ event, at: performance.now() });
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static open(url: string, options: { headers?: Record<string, string>; protocols?: string[] } = {}): Promise<RealtimeTestClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, options.protocols ?? [], { headers: options.headers ?? {} });
      const client = new RealtimeTestClient(socket);
      socket.once('open', () => resolve(client));
      socket.once('unexpected-response', (_request, response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => reject(Object.assign(new Error(`upgrade refused: ${response.statusCode}`), { status: response.statusCode, body: JSON.parse(body || '{}') })));
      });
      socket.once('error', reject);
    });
  }

  send(event: object): void {
    this.socket.send(JSON.stringify(event));
  }

  events(type?: string): Array<ReceivedEvent['event']> {
    return this.received.filter((r) => !type || r.event.type === type).map((r) => r.event);
  }

  /** Waits until `predicate` holds for the events so far. */
  async waitFor(predicate: (events: ReceivedEvent[]) => boolean, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.received)) {
      if (Date.now() > deadline) throw new Error(`timed out; events so far: ${this.received.map((r) => r.event.type).join(', ')}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  /** Sends `audio` in `chunkMs` appends, `speed` times faster than real time (Infinity: as fast as possible). */
  async stream(audio: Buffer, bytesPerSec: number, options: { chunkMs?: number; speed?: number } = {}): Promise<number> {
    const chunkMs = options.chunkMs ?? 100;
    const speed = options.speed ?? 1;
    const chunkBytes = Math.round((bytesPerSec * chunkMs) / 1000 / 2) * 2;
    const started = performance.now();
    for (let offset = 0, n = 0; offset < audio.length; offset += chunkBytes, n += 1) {
      this.send({ type: 'input_audio_buffer.append', audio: audio.subarray(offset, offset + chunkBytes).toString('base64') });
      if (Number.isFinite(speed)) {
        const due = started + ((n + 1) * chunkMs) / speed;
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
      }
    }
    return started;
  }

  close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }
}

/** Lower case, letters, digits and apostrophes, single spaces: to compare texts that differ only in punctuation and case. */
export const normalizeText = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}' ]/gu, ' ').replace(/\s+/g, ' ').trim();

/** Word error rate of `hypothesis` against `reference` after normalizeText (word-level Levenshtein / reference words). */
export function wordErrorRate(reference: string, hypothesis: string): number {
  const ref = normalizeText(reference).split(' ').filter(Boolean);
  const hyp = normalizeText(hypothesis).split(' ').filter(Boolean);
  let row = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i += 1) {
    const next = [i];
    for (let j = 1; j <= hyp.length; j += 1) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1));
    row = next;
  }
  return ref.length === 0 ? (hyp.length === 0 ? 0 : 1) : row[hyp.length]! / ref.length;
}
