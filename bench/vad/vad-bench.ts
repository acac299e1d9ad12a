// VAD bench: Silero v6.2 on onnxruntime-node against the reference (PyPI silero-vad 6.2.3, its own
// onnxruntime path) on the same real speech, decoded once to f32le so both read identical samples.
// Prints, for one stream per pass (the default) and up to 16 parallel streams per ONNX call (vad/stream-parts.ts):
// CPU and wall time per audio hour, real-time factors, peak memory, and frame agreement (judged: ≥ 99 %).
// Run: SPEECH_PYTHON=/work/venv/bin/python node scripts/run-ts.mjs bench/vad/vad-bench.ts [--languages en,es,fr]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { evalSet, runPythonScript } from '@speech/test-support';
import { SileroOnnxDetector } from '../../apps/api/src/vad/silero-onnx.detector';
import { VAD_FRAME_SAMPLES, VAD_SAMPLE_RATE } from '../../apps/api/src/vad/speech-detector.port';
import { speechProbabilitiesOfFile } from '../../apps/api/src/vad/speech-probabilities';
import { PARALLEL_STREAMS, STREAM_PARTS, type StreamPartOptions, streamParts } from '../../apps/api/src/vad/stream-parts';
import { SILERO_REFERENCE_DEFAULTS, type SpeechRegion, type SpeechRegionOptions, speechRegions } from '../../apps/api/src/vad/speech-regions';
import { sileroWeights } from '@speech/test-support';
import { AUTO_VAD, type VadSettings } from '../../apps/api/src/vad/vad-options';
import { toReferenceOptions } from '../../apps/api/src/vad/testing/reference-options';

const languages = (process.argv.find((a) => a.startsWith('--languages='))?.split('=')[1] ?? 'en').split(',') as Array<'en' | 'es' | 'fr'>;
const auto = (AUTO_VAD as Extract<VadSettings, { enabled: true }>).regions;
const OPTION_SETS: Array<[string, SpeechRegionOptions]> = [
  ['silero defaults', SILERO_REFERENCE_DEFAULTS],
  ['our auto', auto],
];
const pct = (x: number) => `${(100 * x).toFixed(3)} %`;
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

function ortVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, '../../node_modules/onnxruntime-node/package.json'), 'utf8')) as { version: string }).version;
}

/** 1 where a frame's centre lies inside a region. */
function mask(regions: readonly SpeechRegion[], frames: number): Uint8Array {
  const out = new Uint8Array(frames);
  for (const r of regions) {
    for (let f = Math.ceil(r.start / VAD_FRAME_SAMPLES - 0.5); f < frames && (f + 0.5) * VAD_FRAME_SAMPLES < r.end; f += 1) out[f] = 1;
  }
  return out;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vad-bench-'));
  try {
    // Real speech: every language's long clip and concatenations (Asterisk prompts, ~37 min per language).
    const clips = languages.flatMap((language) => {
      const set = evalSet(language).sets;
      return [...set.long, ...set.concat].map((item) => item.audio);
    });
    const list = join(dir, 'list.txt');
    writeFileSync(list, clips.map((clip) => `file '${clip.replace(/'/g, "'\\''")}'`).join('\n'));
    const pcm = join(dir, 'speech.f32');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'concat', '-safe', '0', '-i', list, '-f', 'f32le', '-ac', '1', '-ar', String(VAD_SAMPLE_RATE), pcm]);

    const rssBefore = process.memoryUsage().rss;
    const detector = await SileroOnnxDetector.load(sileroWeights());
    const timed = async (parts: StreamPartOptions) => {
      const wall0 = performance.now();
      const cpu0 = process.cpuUsage();
      const { probabilities, samples } = await speechProbabilitiesOfFile(pcm, detector, undefined, parts);
      const cpu = process.cpuUsage(cpu0);
      return { probabilities, samples, wallSeconds: (performance.now() - wall0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, load: loadavg()[0] ?? 0 };
    };
    const runs = [
      { name: `${STREAM_PARTS.maxStreams} stream (default)`, parts: STREAM_PARTS },
      { name: `${PARALLEL_STREAMS.maxStreams} streams (PARALLEL_STREAMS)`, parts: PARALLEL_STREAMS },
    ];
    const results = [];
    for (const run of runs) results.push({ ...run, ...(await timed(run.parts)) });
    const ourPeakKb = process.resourceUsage().maxRSS;
    await detector.close();
    const { samples } = results[0] as (typeof results)[number];
    const audioSeconds = samples / VAD_SAMPLE_RATE;
    const hours = audioSeconds / 3600;

    const reference = JSON.parse(
      runPythonScript(
        'bench/vad/silero_reference.py',
        [],
        JSON.stringify({ pcm, options: toReferenceOptions(SILERO_REFERENCE_DEFAULTS), option_sets: OPTION_SETS.map(([, o]) => toReferenceOptions(o)) }),
        60 * 60_000,
      ),
    ) as { probabilities: number[]; region_sets: SpeechRegion[][]; cpu_seconds: number; max_rss_kb: number };

    const frames = (results[0] as (typeof results)[number]).probabilities.length;
    console.log(`audio: ${languages.join(',')} long + concat sets, ${clips.length} clips, ${(audioSeconds / 60).toFixed(1)} min (${frames} frames of 32 ms)`);
    console.log(`reference (silero-vad 6.2.3 OnnxWrapper, 1 thread): CPU ${reference.cpu_seconds.toFixed(2)} s = ${(reference.cpu_seconds / hours).toFixed(1)} CPU-s per audio hour; peak RSS ${mb(reference.max_rss_kb)} (whole audio in memory)`);
    console.log(`ours: peak RSS ${mb(ourPeakKb)} (process, incl. the TypeScript runner; ${mb(rssBefore / 1024)} before loading the model; audio read in blocks)`);
    for (const { name, parts, probabilities, cpuSeconds, wallSeconds, load } of results) {
      console.log(`ours, ${name} (onnxruntime-node ${ortVersion()}, 1 thread, ${streamParts(frames, parts).length} parts):`);
      console.log(`  CPU  ${cpuSeconds.toFixed(2)} s = ${(cpuSeconds / hours).toFixed(1)} CPU-s per audio hour = ${(audioSeconds / cpuSeconds).toFixed(0)}× real time per core`);
      console.log(`  wall ${wallSeconds.toFixed(2)} s = ${(wallSeconds / hours).toFixed(1)} s per audio hour = ${(audioSeconds / wallSeconds).toFixed(0)}× real time (machine load: ${load.toFixed(1)})`);
      console.log(`  speed ratio ours/reference (CPU): ${(reference.cpu_seconds / cpuSeconds).toFixed(2)}×`);
      let decisionsAgree = 0;
      let maxDiff = 0;
      for (let f = 0; f < frames; f += 1) {
        const ours = probabilities[f] as number;
        const theirs = reference.probabilities[f] as number;
        if (ours >= 0.5 === theirs >= 0.5) decisionsAgree += 1;
        maxDiff = Math.max(maxDiff, Math.abs(ours - theirs));
      }
      console.log(`  frames: ${frames} ours, ${reference.probabilities.length} reference; max |Δp| ${maxDiff.toExponential(2)}`);
      console.log(`  agreement, speech decision per frame (p ≥ 0.5): ${pct(decisionsAgree / frames)}  (target ≥ 99 %)`);
      OPTION_SETS.forEach(([optionsName, options], i) => {
        const ours = mask(speechRegions(probabilities, samples, options), frames);
        const theirs = mask(reference.region_sets[i] as SpeechRegion[], frames);
        let same = 0;
        let speech = 0;
        for (let f = 0; f < frames; f += 1) {
          if (ours[f] === theirs[f]) same += 1;
          speech += ours[f] as number;
        }
        console.log(`  agreement, in-region per frame (${optionsName}): ${pct(same / frames)}; speech kept ${pct(speech / frames)} of the audio`);
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
