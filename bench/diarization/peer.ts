/**
 * Our speaker embeddings beside the reference implementation's on the very same windows: Resemblyzer's VoiceEncoder
 * (torch + librosa, bench/diarization/resemblyzer_peer.py) against our TypeScript mel front end + the ONNX export on
 * onnxruntime-node. Full-length (1.6 s) windows only: Resemblyzer zero-pads shorter ones to 1.6 s, we do not.
 */
import { execFileSync } from 'node:child_process';

import { speechPython, workspaceRoot } from '@speech/test-support';

import { dot } from '../../apps/api/src/diarization/agglomerative-clustering';
import { embedSpeech } from '../../apps/api/src/diarization/diarize';
import { WINDOW_SECONDS } from '../../apps/api/src/diarization/embedding-windows';
import type { SpeakerEmbedder } from '../../apps/api/src/diarization/speaker-embedder.port';
import type { TimeSpan } from '../../apps/api/src/diarization/speech-span';

export interface PeerAgreement {
  readonly windows: number;
  readonly meanCosine: number;
  readonly minCosine: number;
  readonly oursSeconds: number;
  readonly peerSeconds: number;
}

export async function compareWithResemblyzer(wav: string, samples: Float32Array, regions: readonly TimeSpan[], embedder: SpeakerEmbedder): Promise<PeerAgreement> {
  const started = performance.now();
  const ours = await embedSpeech(samples, regions, embedder);
  const oursSeconds = (performance.now() - started) / 1000;
  const full = ours.windows.map((w, i) => ({ w, e: ours.embeddings[i] })).filter(({ w }) => Math.abs(w.end - w.start - WINDOW_SECONDS) < 1e-6);
  const job = JSON.stringify({ wav, gain: ours.gain, windows: full.map(({ w }) => [w.start, w.end]) });
  const out = execFileSync(speechPython(), ['bench/diarization/resemblyzer_peer.py'], { cwd: workspaceRoot(), input: job, maxBuffer: 1 << 28 });
  const peer = JSON.parse(out.toString()) as { embeddings: number[][]; seconds: number };
  const cosines = full.map(({ e }, i) => dot(e, Float32Array.from(peer.embeddings[i])));
  return {
    windows: full.length,
    meanCosine: cosines.reduce((a, b) => a + b, 0) / cosines.length,
    minCosine: Math.min(...cosines),
    oursSeconds,
    peerSeconds: peer.seconds,
  };
}
