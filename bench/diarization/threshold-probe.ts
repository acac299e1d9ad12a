/**
 * The figures the encoder-scale thresholds are set from (speaker-count.ts SINGLE_SPEAKER_CENTRES,
 * known-speakers.ts KNOWN_SPEAKER_MIN_SIMILARITY), on real voices:
 *   node scripts/run-ts.mjs bench/diarization/threshold-probe.ts [--seconds 60]
 * - one voice alone (each of the seven bench voices, its clips back to back with 0.3 s pauses, both bands where it
 *   has them): the widest centre distance of the best 2..4 split, and the count estimated;
 * - known speakers: cosine similarity of reference clips (pyannote sample: 'host' 10.6–14.6 s, 'guest' 21.8–27.5 s;
 *   Kennedy from whisper.cpp's jfk.wav, who is not in it) to each cluster centre of the sample.
 */
import path from 'node:path';

import { decodeMono16k, diarizationVoices, readPcm16Wav, speakerAssets, speechUnion, parseRttm, workspaceRoot } from '@speech/test-support';
import { readFileSync } from 'node:fs';

import { centroid, clusterEmbeddings, dot } from '../../apps/api/src/diarization/agglomerative-clustering';
import { embedReferenceVoice, embedSpeech } from '../../apps/api/src/diarization/diarize';
import { OnnxSpeakerEmbedder } from '../../apps/api/src/diarization/onnx-speaker-embedder';
import { widestCentreDistance } from '../../apps/api/src/diarization/speaker-count';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] as string) : fallback;
};

async function main(): Promise<void> {
  const seconds = Number(arg('--seconds', '60'));
  const assets = speakerAssets();
  const embedder = await OnnxSpeakerEmbedder.open(process.env['SPEAKER_MODEL'] ?? assets.encoder);
  console.log(`One voice alone (~${seconds} s): widest centre distance of the best k-split, count estimated`);
  for (const voice of diarizationVoices()) {
    for (const narrow of voice.band === 16000 ? [false, true] : [false]) {
      const parts: Float32Array[] = [];
      const regions: { start: number; end: number }[] = [];
      let at = 0;
      for (let i = 0; at < seconds; i++) {
        const clip = voice.clips[i % voice.clips.length];
        const samples = readPcm16Wav(narrow && clip.narrowWav ? clip.narrowWav : clip.wav);
        regions.push({ start: at / 16000, end: (at + samples.length) / 16000 });
        parts.push(samples, new Float32Array(4800));
        at += samples.length + 4800;
        if (at / 16000 >= seconds) break;
      }
      const all = new Float32Array(at);
      let offset = 0;
      for (const p of parts) { all.set(p, offset); offset += p.length; }
      const { embeddings } = await embedSpeech(all, regions, embedder);
      const widest = [2, 3, 4].map((k) => widestCentreDistance(embeddings, clusterEmbeddings(embeddings, { speakers: k })).toFixed(3));
      const found = new Set(clusterEmbeddings(embeddings, {})).size;
      // 0.000: the tree has no cut with k speaker-sized clusters (5 % of the windows each), i.e. the voice is one tight cluster.
      console.log(`  ${voice.name}${narrow ? ' (8 kHz)' : ''} (${embeddings.length} windows): widest centre distance k=2,3,4 ${widest.join(' ')}; count estimated ${found}`);
    }
  }
  const samples = decodeMono16k(assets.sampleWav);
  const regions = speechUnion(parseRttm(readFileSync(assets.sampleRttm, 'utf8')));
  const { embeddings } = await embedSpeech(samples, regions, embedder);
  const labels = clusterEmbeddings(embeddings, { speakers: 2 });
  const centres = [0, 1].map((k) => centroid(embeddings.filter((_, i) => labels[i] === k)));
  const clip = (from: number, to: number) => samples.slice(Math.round(from * 16000), Math.round(to * 16000));
  const jfk = decodeMono16k(path.join(workspaceRoot(), 'node_modules/nodejs-whisper/cpp/whisper.cpp/bindings/go/samples/jfk.wav'));
  console.log('Known speakers on the pyannote sample: similarity of each reference to cluster 0 / cluster 1');
  for (const [name, audio] of [['host', clip(10.6, 14.6)], ['guest', clip(21.8, 27.5)], ['kennedy', jfk]] as const) {
    const voice = await embedReferenceVoice(name, audio, embedder);
    const centre = centroid(voice.embeddings);
    console.log(`  ${name}: ${centres.map((c) => dot(centre, c).toFixed(3)).join(' / ')}`);
  }
  await embedder.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
