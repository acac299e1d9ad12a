/**
 * Diarization on real speech with exact truth:
 *   node scripts/run-ts.mjs bench/diarization.ts [--conversations 20] [--first-seed 100] [--seconds 60] [--vad oracle|energy] [--threshold 0.3] [--peer]
 * Seeds 1–10 tuned the count estimate (speaker-count.ts); the default set, seeds 100–119, is held out. --threshold
 * replaces the estimate with the old fixed-distance cut, for comparison.
 * Sets: pyannote.audio's own 30 s two-speaker sample (its reference RTTM; `npm run models:speaker` fetches both), and
 * synthetic conversations of real voices (libs/test-support diarization-conversations.ts). For each: DER without collar and with
 * a 0.25 s collar (pyannote.metrics' collar=0.5), the speaker count found when it is not given, and the time per
 * audio hour. --vad oracle takes speech regions from the truth (isolates embedding + clustering); energy uses the
 * regions the API's diarization stage finds itself when no VAD regions are passed (energy-speech-regions.ts; its time
 * is counted in the speed column).
 * Speed is wall time and this process's CPU time per audio hour (the encoder runs on one onnxruntime thread; on a shared
 * machine the CPU time is the fairer figure). SPEAKER_MODEL=FILE tries another export of the encoder.
 * pyannote's and whisperX's diarization models download from Hugging Face (gated), which this machine cannot reach.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

import { buildConversations, decodeMono16k, diarizationErrorRate, type LabelledSpan, parseRttm, speakerAssets, speechUnion } from '@speech/test-support';

import { diarize } from '../apps/api/src/diarization/diarize';
import { energySpeechRegions } from '../apps/api/src/diarization/energy-speech-regions';
import { OnnxSpeakerEmbedder } from '../apps/api/src/diarization/onnx-speaker-embedder';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] as string) : fallback;
};
const say = (m: string) => process.stderr.write(`${m}\n`);

interface Case {
  readonly id: string;
  readonly samples: Float32Array;
  readonly truth: LabelledSpan[];
  readonly speakers: number;
}

async function main(): Promise<void> {
  const vad = arg('--vad', 'oracle');
  if (vad !== 'oracle' && vad !== 'energy') throw new Error(`--vad ${vad}: "oracle" or "energy"`);
  const regionsOf = (item: Case) => (vad === 'energy' ? energySpeechRegions(item.samples) : speechUnion(item.truth));
  const threshold = process.argv.includes('--threshold') ? Number(arg('--threshold', '0.3')) : undefined;
  const assets = speakerAssets();
  const cases: Case[] = [
    { id: 'pyannote-sample', samples: decodeMono16k(assets.sampleWav), truth: parseRttm(readFileSync(assets.sampleRttm, 'utf8')), speakers: 2 },
    ...buildConversations(Number(arg('--conversations', '20')), Number(arg('--seconds', '60')), Number(arg('--first-seed', '100'))),
  ];
  const embedder = await OnnxSpeakerEmbedder.open(process.env['SPEAKER_MODEL'] ?? assets.encoder);
  const rows: string[][] = [];
  const totals = { known: [0, 0, 0, 0], unknown: [0, 0, 0], seconds: 0, ms: 0, cpuMs: 0, countRight: 0 };
  for (const item of cases) {
    const started = performance.now();
    const startedCpu = process.cpuUsage();
    const regions = regionsOf(item);
    const known = await diarize(item.samples, regions, embedder, { speakers: item.speakers });
    const ms = performance.now() - started;
    const cpu = process.cpuUsage(startedCpu);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const unknown = await diarize(item.samples, regions, embedder, { threshold });
    const found = new Set(unknown.map((t) => t.speaker)).size;
    const k = diarizationErrorRate(item.truth, known);
    const kc = diarizationErrorRate(item.truth, known, 0.25);
    const u = diarizationErrorRate(item.truth, unknown, 0.25);
    const seconds = item.samples.length / 16000;
    totals.known[0] += k.der * k.total;
    totals.known[1] += kc.der * kc.total;
    totals.known[2] += k.total;
    totals.known[3] += kc.total;
    totals.unknown[0] += u.der * u.total;
    totals.unknown[2] += u.total;
    totals.seconds += seconds;
    totals.ms += ms;
    totals.cpuMs += cpuMs;
    totals.countRight += found === item.speakers ? 1 : 0;
    rows.push([item.id, seconds.toFixed(1), String(item.speakers), pct(k.der), pct(kc.der), pct(u.der), String(found), (seconds / (ms / 1000)).toFixed(0)]);
    say(`  ${item.id} done`);
  }
  await embedder.close();
  const header = ['recording', 'seconds', 'speakers', 'DER (count given)', 'DER collar 0.25', 'DER collar 0.25 (count estimated)', 'count found', '× real time'];
  console.log(`\nDiarization, speech regions: ${vad}, count ${threshold === undefined ? 'estimated (silhouette)' : `cut at distance ${threshold}`} when not given\n`);
  console.log([header, ...rows].map((r) => r.join('\t')).join('\n'));
  console.log(`\nall: DER ${pct(totals.known[0] / totals.known[2])} (count given), ${pct(totals.known[1] / totals.known[3])} with 0.25 s collar; ` +
    `${pct(totals.unknown[0] / totals.unknown[2])} with 0.25 s collar (count estimated), right count in ${totals.countRight}/${cases.length}; ` +
    `${(totals.ms / 1000 / (totals.seconds / 3600)).toFixed(1)} s per audio hour (${(totals.seconds / (totals.ms / 1000)).toFixed(0)}× real time), ` +
    `CPU ${(totals.cpuMs / 1000 / (totals.seconds / 3600)).toFixed(1)} s per audio hour (${(totals.seconds / (totals.cpuMs / 1000)).toFixed(0)}×), load ${loadavg()[0].toFixed(1)}, ` +
    `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

main().catch((error: unknown) => {
  say(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
