/**
 * Synthetic conversations with exact speaker truth, from real recorded speech of different people:
 * Allison (Asterisk en_US prompts), June (Asterisk fr_CA prompts) and John F. Kennedy (whisper.cpp's jfk.wav, cut at
 * its pauses). Turns of 1–3 prompts alternate between speakers with 0.3–1.0 s gaps; a speaker's truth is each
 * prompt's speech span (first to last 20 ms frame above −45 dBFS), so leading and trailing room tone is not "speech".
 */
import path from 'node:path';

import { decodeMono16k, evalSet, type LabelledSpan, workspaceRoot } from '@speech/test-support';

export interface Conversation {
  readonly id: string;
  readonly samples: Float32Array;
  readonly truth: LabelledSpan[];
  readonly speakers: number;
}

const RATE = 16000;

/** [first, last) sample of the span above −45 dBFS on 20 ms frames. */
function speechSpan(samples: Float32Array): [number, number] {
  const frame = 320;
  const threshold = 10 ** (-45 / 10);
  let first = -1;
  let last = -1;
  for (let f = 0; f * frame < samples.length; f++) {
    let sum = 0;
    const end = Math.min(samples.length, (f + 1) * frame);
    for (let i = f * frame; i < end; i++) sum += samples[i] * samples[i];
    if (sum / (end - f * frame) > threshold) {
      if (first < 0) first = f * frame;
      last = end;
    }
  }
  return first < 0 ? [0, 0] : [first, last];
}

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function voicePool(): Record<string, Float32Array[]> {
  const prompts = (language: 'en' | 'fr') =>
    evalSet(language).sets.short.filter((item) => item.duration >= 1.5 && item.duration <= 6).map((item) => decodeMono16k(item.audio));
  const jfk = decodeMono16k(path.join(workspaceRoot(), 'node_modules/nodejs-whisper/cpp/whisper.cpp/bindings/go/samples/jfk.wav'));
  // jfk.wav's phrases, cut at its pauses (seconds).
  const jfkPhrases = [[0.3, 2.4], [3.2, 4.6], [5.2, 7.9], [8.1, 10.6]].map(([a, b]) => jfk.slice(a * RATE, b * RATE));
  return { Allison: prompts('en'), June: prompts('fr'), Kennedy: jfkPhrases };
}

/** `count` conversations of about `seconds` each; the first half two speakers (Allison, June), the rest three. */
export function buildConversations(count: number, seconds: number, seed = 17): Conversation[] {
  const pool = voicePool();
  const next = random(seed);
  const conversations: Conversation[] = [];
  for (let c = 0; c < count; c++) {
    const cast = c < count / 2 ? ['Allison', 'June'] : ['Allison', 'June', 'Kennedy'];
    const pieces: Float32Array[] = [];
    const truth: LabelledSpan[] = [];
    let at = 0;
    let speaker = Math.floor(next() * cast.length);
    while (at < seconds * RATE) {
      const name = cast[speaker];
      const turnPrompts = 1 + Math.floor(next() * 3);
      for (let p = 0; p < turnPrompts; p++) {
        const clips = pool[name];
        const clip = clips[Math.floor(next() * clips.length)];
        const [first, last] = speechSpan(clip);
        const piece = clip.slice(first, last);
        pieces.push(piece);
        truth.push({ start: at / RATE, end: (at + piece.length) / RATE, speaker: name });
        at += piece.length;
        // Within a turn a short breath; between turns a longer gap.
        const gap = Math.round((p < turnPrompts - 1 ? 0.15 + 0.2 * next() : 0.3 + 0.7 * next()) * RATE);
        pieces.push(new Float32Array(gap));
        at += gap;
      }
      speaker = (speaker + 1 + Math.floor(next() * (cast.length - 1))) % cast.length;
    }
    const samples = new Float32Array(at);
    let offset = 0;
    for (const piece of pieces) {
      samples.set(piece, offset);
      offset += piece.length;
    }
    conversations.push({ id: `conv-${c + 1}-${cast.length}spk`, samples, truth, speakers: cast.length });
  }
  return conversations;
}
