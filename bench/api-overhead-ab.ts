// API overhead, this build against a baseline build, on a loaded machine: the same ~30 s clip through this API,
// through a baseline API (another checkout's built dist/, e.g. main), and as a direct call of the same engine class
// with already-decoded audio — one of each per round, in turn, so load from other processes falls on all three alike.
// Prints the medians, each API's ratio to the direct call (judged: ≤ 1.03 plus 20 ms) and the median of the per-round
// differences (less sensitive to load swings than a difference of medians). A second table isolates the upload and
// decode with no engine work: a ~88 s WAV (the clip three times) that each API decodes to its 60 s limit + 1 s and
// refuses with 422 AUDIO_TOO_LONG.
// Run: node scripts/run-ts.mjs bench/api-overhead-ab.ts <baseline checkout with a built API>   (ROUNDS=15)
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cachedWhisperModel, freePort, longSpeechFixture } from '@speech/test-support';
import { defaultWhisperThreads } from '../apps/api/src/engines/local/cpu-threads';
import { LocalWhisperEngine } from '../apps/api/src/engines/local/local-whisper.engine';
import { startApi } from '../apps/api/test/e2e/support/api-process';
import { asBody, filePart, multipartBody } from '../apps/api/test/e2e/support/multipart';

const ROUNDS = Number(process.env['ROUNDS'] ?? 15);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const quiet = { log: () => undefined, warn: () => undefined, error: (m: unknown) => console.error(m), debug: () => undefined };

async function main(): Promise<void> {
  const baseline = resolve(process.argv[2] ?? '');
  const baselineMain = join(baseline, 'dist/apps/api/main.js');
  if (!existsSync(baselineMain)) throw new Error(`usage: bench/api-overhead-ab.ts <checkout with dist/apps/api/main.js>; ${baselineMain} is missing`);
  const model = await cachedWhisperModel('base');
  const clip = longSpeechFixture();
  const threads = defaultWhisperThreads();
  console.log(`model: generated base dims; clip: ${clip.durationSeconds.toFixed(1)} s; threads: ${threads}; rounds: ${ROUNDS}; baseline: ${baseline}`);
  // VAD and the temperature fallback off: they change the engine's work, not the API's overhead (the direct call does neither).
  const env = { WHISPER_MODEL: model, TEMPERATURE_FALLBACK: 'false', WHISPER_THREADS: String(threads), MAX_AUDIO_SECONDS: '60' };

  const engine = new LocalWhisperEngine(
    { model, modelsDir: tmpdir(), threads, concurrency: 1, build: 'native', useGpu: false, autoDownload: false, downloadBaseUrl: 'http://127.0.0.1:9' },
    { logger: quiet },
  );
  await engine.start();
  const api = await startApi(env);
  const other = await startBaseline(baselineMain, baseline, env);
  try {
    const { body, contentType } = multipartBody([filePart(clip.wav, 'clip.wav', 'audio/wav'), { name: 'language', value: 'en' }, { name: 'vad', value: 'false' }]);
    const direct = async () => {
      const started = process.hrtime.bigint();
      await engine.transcribe({
        audio: { path: clip.pcm, durationSeconds: clip.durationSeconds, sampleRate: 16000 },
        options: { task: 'transcribe', temperature: 0, wordTimestamps: false, language: 'en' },
        signal: new AbortController().signal,
      });
      return ms(started);
    };
    const through = async (url: string) => {
      const started = process.hrtime.bigint();
      const response = await fetch(`${url}/transcribe`, { method: 'POST', body: asBody(body), headers: { 'content-type': contentType } });
      if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
      await response.json();
      return ms(started);
    };
    const longWav = join(api.tmpDir, 'three-times.wav');
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-stream_loop', '2', '-i', clip.wav, '-c', 'copy', longWav]);
    const tooLong = multipartBody([filePart(longWav, 'long.wav', 'audio/wav'), { name: 'language', value: 'en' }, { name: 'vad', value: 'false' }]);
    const decodeOnly = async (url: string) => {
      const started = process.hrtime.bigint();
      const response = await fetch(`${url}/transcribe`, { method: 'POST', body: asBody(tooLong.body), headers: { 'content-type': tooLong.contentType } });
      if (response.status !== 422) throw new Error(`${url} answered ${response.status} to audio over the limit: ${await response.text()}`);
      await response.json();
      return ms(started);
    };
    const times = { direct: [] as number[], api: [] as number[], baseline: [] as number[], apiDecode: [] as number[], baselineDecode: [] as number[] };
    for (let round = 0; round <= ROUNDS; round += 1) {
      const row = { direct: await direct(), api: await through(api.url), baseline: await through(other.url), apiDecode: await decodeOnly(api.url), baselineDecode: await decodeOnly(other.url) };
      if (round === 0) continue; // warms the page cache and the workers
      for (const key of Object.keys(times) as Array<keyof typeof times>) times[key].push(row[key]);
    }
    const directMs = median(times.direct);
    const overhead = (values: number[]) => median(values.map((value, index) => value - times.direct[index]!));
    console.log('\n| path | median ms | ratio to direct | overhead, median of per-round differences (ms) |\n|---|---|---|---|');
    console.log(`| direct engine call (decoded audio) | ${directMs.toFixed(0)} | 1.000 | 0 |`);
    for (const [name, values] of [['this API end to end', times.api], ['baseline API end to end', times.baseline]] as const) {
      console.log(`| ${name} | ${median(values).toFixed(0)} | ${(median(values) / directMs).toFixed(3)} | ${overhead(values).toFixed(0)} |`);
    }
    console.log('\n| upload + decode only (88 s WAV, 422 after decoding 61 s) | median ms |\n|---|---|');
    console.log(`| this API | ${median(times.apiDecode).toFixed(0)} |`);
    console.log(`| baseline API | ${median(times.baselineDecode).toFixed(0)} |`);
    console.log(`| per-round difference, this − baseline (median) | ${median(times.apiDecode.map((value, index) => value - times.baselineDecode[index]!)).toFixed(0)} |`);
    console.log(`judged: this API ≤ 1.03 × direct + 20 ms → ${median(times.api) <= 1.03 * directMs + 20 ? 'yes' : 'no'}`);
  } finally {
    await engine.stop();
    await api.stop();
    await other.stop();
  }
}

/** The baseline build as a process, with the environment startApi gives this one. */
async function startBaseline(main: string, root: string, env: Record<string, string>): Promise<{ url: string; stop: () => Promise<void> }> {
  const tmp = mkdtempSync(join(tmpdir(), 'bench-baseline-'));
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [main], {
    cwd: root,
    stdio: 'ignore',
    env: {
      PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? tmp, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(port),
      TMP_DIR: tmp, DATA_DIR: join(tmp, 'data'), WHISPER_AUTO_DOWNLOAD: 'false', WEB_DIST: join(tmp, 'no-console'), ...env,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 60_000; ; ) {
    if ((await fetch(`${url}/health/live`).then((response) => response.status, () => 0)) === 200) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('the baseline API did not start');
    await new Promise((done) => setTimeout(done, 200));
  }
  return {
    url,
    stop: async () => {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
