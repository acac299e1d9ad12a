// API overhead and upload memory, in one run on this machine:
//   1. a ~30 s clip through the whole API (HTTP upload → sniff → ffmpeg → engine → json) vs a direct call of the same
//      engine class with already-decoded audio — median of RUNS each, and their ratio (judged: ratio close to 1);
//   2. peak API RSS (VmHWM) while 10 clients upload 100 MB files at once (judged: bounded, far below 10 × 100 MB).
//   The API runs with VAD and the temperature fallback off (vad=false, TEMPERATURE_FALLBACK=false): both change what the
//   engine is asked to do, not the API's overhead, and the direct call does neither.
// Run: node scripts/run-ts.mjs bench/api-overhead.ts        (needs a built API: npx nx build api)
import { createReadStream, mkdtempSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { cachedWhisperModel, longSpeechFixture } from '@speech/test-support';
import { defaultWhisperThreads } from '../apps/api/src/engines/local/cpu-threads';
import { LocalWhisperEngine } from '../apps/api/src/engines/local/local-whisper.engine';
import { startApi } from '../apps/api/test/e2e/support/api-process';
import { asBody, filePart, multipartBody } from '../apps/api/test/e2e/support/multipart';

const RUNS = Number(process.env['RUNS'] ?? 3);
const CLIENTS = 10;
const UPLOAD_BYTES = 100 * 1024 * 1024;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const quiet = { log: () => undefined, warn: () => undefined, error: (m: unknown) => console.error(m), debug: () => undefined };

async function main(): Promise<void> {
  const model = await cachedWhisperModel('base');
  const clip = longSpeechFixture();
  const threads = defaultWhisperThreads();
  console.log(`model: generated base dims (${model}); clip: ${clip.durationSeconds.toFixed(1)} s; threads: ${threads}; runs: ${RUNS}`);

  const engine = new LocalWhisperEngine(
    { model, modelsDir: tmpdir(), threads, concurrency: 1, build: 'native', useGpu: false, autoDownload: false, downloadBaseUrl: 'http://127.0.0.1:9' },
    { logger: quiet },
  );
  await engine.start();
  const direct: number[] = [];
  for (let run = 0; run <= RUNS; run += 1) {
    const started = process.hrtime.bigint();
    await engine.transcribe({
      audio: { path: clip.pcm, durationSeconds: clip.durationSeconds, sampleRate: 16000 },
      options: { task: 'transcribe', temperature: 0, wordTimestamps: false, language: 'en' },
      signal: new AbortController().signal,
    });
    if (run > 0) direct.push(ms(started)); // run 0 warms the page cache and the worker
  }
  await engine.stop();

  const api = await startApi({ WHISPER_MODEL: model, TEMPERATURE_FALLBACK: 'false', WHISPER_THREADS: String(threads), MAX_FILE_SIZE: String(UPLOAD_BYTES + 1024 * 1024), MAX_AUDIO_SECONDS: '60' });
  try {
    const throughApi: number[] = [];
    const { body, contentType } = multipartBody([filePart(clip.wav, 'clip.wav', 'audio/wav'), { name: 'language', value: 'en' }, { name: 'vad', value: 'false' }]);
    for (let run = 0; run <= RUNS; run += 1) {
      const started = process.hrtime.bigint();
      const response = await fetch(`${api.url}/transcribe`, { method: 'POST', body: asBody(body), headers: { 'content-type': contentType } });
      if (response.status !== 200) throw new Error(`API answered ${response.status}: ${await response.text()}`);
      await response.json();
      if (run > 0) throughApi.push(ms(started));
    }
    const directMs = median(direct);
    const apiMs = median(throughApi);
    console.log('\n| path | median ms |\n|---|---|');
    console.log(`| direct engine call (decoded audio) | ${directMs.toFixed(0)} |`);
    console.log(`| API end to end (upload, sniff, ffmpeg, engine, json) | ${apiMs.toFixed(0)} |`);
    console.log(`ratio API / direct: ${(apiMs / directMs).toFixed(3)}  (overhead ${(apiMs - directMs).toFixed(0)} ms)`);

    const rssBefore = vmKb(api.child.pid!, 'VmRSS');
    const peak = await uploadConcurrently(api.url, api.child.pid!);
    console.log(`\n${CLIENTS} clients × ${UPLOAD_BYTES / 1048576} MB uploads at once: statuses ${peak.statuses.join(',')}`);
    console.log(`API RSS before: ${(rssBefore / 1024).toFixed(0)} MB; peak during uploads (VmHWM): ${(peak.hwmKb / 1024).toFixed(0)} MB; ` +
      `uploaded ${(CLIENTS * UPLOAD_BYTES / 1048576).toFixed(0)} MB in ${(peak.ms / 1000).toFixed(1)} s`);
    console.log(`ratio peak RSS / total uploaded: ${(peak.hwmKb / 1024 / (CLIENTS * UPLOAD_BYTES / 1048576)).toFixed(3)}`);
  } finally {
    await api.stop();
  }
}

/** Ten streaming uploads of a 100 MB WAV-headed file (the API refuses them as too long after decoding 60 s). */
async function uploadConcurrently(url: string, pid: number): Promise<{ statuses: number[]; hwmKb: number; ms: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-upload-'));
  const file = join(dir, 'big.wav');
  const fd = openSync(file, 'w');
  const header = Buffer.from(readFileSync(longSpeechFixture().wav).subarray(0, 44));
  header.writeUInt32LE(UPLOAD_BYTES - 8, 4);
  header.writeUInt32LE(UPLOAD_BYTES - 44, 40);
  writeSync(fd, header);
  const chunk = Buffer.alloc(1024 * 1024, 0x10);
  for (let written = 44; written < UPLOAD_BYTES; written += chunk.length) writeSync(fd, chunk, 0, Math.min(chunk.length, UPLOAD_BYTES - written));
  closeSync(fd);
  const boundary = '----bench';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.wav"\r\nContent-Type: audio/wav\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const started = process.hrtime.bigint();
  try {
    const statuses = await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        const stream = Readable.from((async function* () {
          yield head;
          for await (const part of createReadStream(file, { highWaterMark: 256 * 1024 })) yield part as Buffer;
          yield tail;
        })());
        const response = await fetch(`${url}/transcribe`, {
          method: 'POST',
          headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(head.length + UPLOAD_BYTES + tail.length) },
          body: Readable.toWeb(stream) as ReadableStream,
          duplex: 'half',
        } as RequestInit);
        await response.arrayBuffer();
        return response.status;
      }),
    );
    return { statuses, hwmKb: vmKb(pid, 'VmHWM'), ms: ms(started) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function vmKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
