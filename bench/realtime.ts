// Realtime transcription sessions (/v1/realtime?intent=transcription) under load, on this machine:
//   N sessions at once, each streaming a different clip of real speech (the eval set's "concat" clips: Asterisk
//   prompts with pauses between them) at real-time pace in 100 ms PCM16 24 kHz appends, server VAD 0.5/300/500 ms.
//   Per turn: end of speech → completed (end of speech = when the audio at `audio_end_ms` was sent, so it includes the
//   500 ms of silence server VAD needs to decide), speech_stopped → completed (the decode alone), and speech start →
//   first delta. p50/p95 per N; the largest N whose p95 (end of speech → completed) stays ≤ 1 s.
//   Also, per level: WER of the streamed final text vs the file transcription of the same audio (POST
//   /v1/audio/transcriptions), pooled over that level's clips, both against the eval set's reference of the utterances
//   inside the cut.
// Judged by: p95 end of speech → completed ≤ 700 ms at N = 1; first delta ≤ 1.5 s; ≥ 4 sessions at p95 ≤ 1 s;
// streamed WER within 2 points of the file WER.
// Session starts (--starts): `synchronized` (default) starts all N sessions in the same millisecond; their clips have
//   similar turn lengths, so turns tend to end together and every final queues behind the others: the worst case.
//   `staggered` delays each session's start by a seeded uniform draw in [0, STAGGER_SPAN_MS) (about one turn plus
//   its pause), as independent callers would arrive; --seed picks the draw. The mode is printed with the figures.
// --rounds R: each level runs R times, every round on other clips (and, staggered, its own draw: seed + round), and the
//   percentiles pool all rounds' turns: one round of one session is 6 turns, where p95 is the worst but one.
// --solo: after the largest level, each of its clips is streamed again alone (one session at a time), and the WER of
//   those solo streams is printed beside the concurrent one: words lost only under concurrency show up as the gap.
// Run: node scripts/run-ts.mjs bench/realtime.ts [--levels 1,2,4,6] [--seconds 20] [--env NAME=value,...]
//        [--starts synchronized|staggered] [--seed 1] [--rounds 1] [--solo]     (needs a built API: npx nx build api)
//   It runs under `flock /tmp/bench.lock` (re-starting itself so when it isn't), so that on a shared machine no other
//   bench runs beside it and figures stay comparable.
import { execFileSync, spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { evalSet, realModel, realModels, scoreTranscripts, seededUniform } from '@speech/test-support';
import OpenAI from 'openai';
import { startApi } from '../apps/api/test/e2e/support/api-process';
import { RealtimeTestClient, realtimeAudio } from '../apps/api/test/e2e/support/realtime-client';
import { sileroWeights } from '@speech/test-support';

const arg = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? (process.argv[at + 1] ?? fallback) : fallback;
};
const LEVELS = arg('levels', '1,2,4,6').split(',').map(Number);
const SECONDS = Number(arg('seconds', '20'));
/** API settings to try, e.g. --env REALTIME_FIT_FINAL_MAX_SECONDS=10,WHISPER_THREADS=1 (printed with the figures). */
const API_ENV = Object.fromEntries(
  arg('env', '')
    .split(',')
    .filter(Boolean)
    .map((pair) => pair.split('=') as [string, string]),
);
const STARTS = arg('starts', 'synchronized');
if (STARTS !== 'synchronized' && STARTS !== 'staggered') throw new Error(`--starts is synchronized or staggered; got ${STARTS}`);
const SEED = Number(arg('seed', '1'));
const SOLO = process.argv.includes('--solo');
const ROUNDS = Number(arg('rounds', '1'));
if (!(Number.isInteger(ROUNDS) && ROUNDS >= 1)) throw new Error(`--rounds is a whole number ≥ 1; got ${ROUNDS}`);
/** Staggered starts spread over this span: a typical turn of the eval clips (2–3 s) and the pause after it. */
const STAGGER_SPAN_MS = 3000;
const TRANSCRIPT = 'conversation.item.input_audio_transcription';


/** Start delay of each of `count` sessions (ms): all 0 when synchronized; the first 0 and the rest seeded when staggered. */
function startDelays(count: number, round = 0): number[] {
  const random = seededUniform(SEED + round);
  return Array.from({ length: count }, (_, i) => (STARTS === 'staggered' && i > 0 ? Math.round(random() * STAGGER_SPAN_MS) : 0));
}

interface TurnTiming {
  endToCompletedMs: number;
  stoppedToCompletedMs: number;
  startToFirstDeltaMs: number | null;
}

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

/** One session streaming `audio` (PCM16 24 kHz) at real-time pace; the timing of each turn and the final text. */
async function session(wsUrl: string, audio: Buffer, delayMs = 0): Promise<{ turns: TurnTiming[]; text: string; byTurn: string; failed: number }> {
  const client = await RealtimeTestClient.open(wsUrl);
  try {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    client.send({ type: 'session.update', session: { type: 'transcription', audio: { input: { transcription: { model: 'whisper-1', language: 'en' }, turn_detection: { type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 500 } } } } });
    const started = await client.stream(Buffer.concat([audio, Buffer.alloc(48_000 * 2)]), 48_000, { chunkMs: 100, speed: 1 });
    const ended = (events: typeof client.received) => {
      const opened = events.filter((r) => r.event.type === 'input_audio_buffer.speech_started').length;
      return events.filter((r) => r.event.type === `${TRANSCRIPT}.completed` || r.event.type === `${TRANSCRIPT}.failed`).length === opened;
    };
    await client.waitFor(ended, 300_000);
    if (client.problems.length > 0) throw new Error(`event shapes: ${client.problems.join('; ')}`);
    const turns: TurnTiming[] = [];
    const texts: string[] = [];
    const spans: string[] = [];
    let failed = 0;
    for (const start of client.received.filter((r) => r.event.type === 'input_audio_buffer.speech_started')) {
      const item = start.event['item_id'];
      const mine = client.received.filter((r) => r.event['item_id'] === item);
      const stopped = mine.find((r) => r.event.type === 'input_audio_buffer.speech_stopped');
      const completed = mine.find((r) => r.event.type === `${TRANSCRIPT}.completed`);
      const firstDelta = mine.find((r) => r.event.type === `${TRANSCRIPT}.delta`);
      if (!completed || !stopped) {
        failed += 1;
        continue;
      }
      texts.push(String(completed.event['transcript']));
      const usage = completed.event['usage'] as { seconds?: number } | undefined;
      const endOfSpeechAt = started + Number(stopped.event['audio_end_ms']);
      const speechStartAt = started + Number(start.event['audio_start_ms']);
      // Each turn's own latencies beside its text, so a p95 can be traced to the turn that made it.
      const delta = firstDelta ? `, first delta ${Math.round(firstDelta.at - speechStartAt)} ms` : '';
      spans.push(`${Number(start.event['audio_start_ms'])}–${Number(stopped.event['audio_end_ms'])} ms, ${usage?.seconds ?? '?'} s decoded, completed +${Math.round(completed.at - endOfSpeechAt)} ms${delta}`);
      turns.push({
        endToCompletedMs: completed.at - endOfSpeechAt,
        stoppedToCompletedMs: completed.at - stopped.at,
        startToFirstDeltaMs: firstDelta ? firstDelta.at - speechStartAt : null,
      });
    }
    // byTurn: each turn's final text between bars, so a turn that came back empty ("| |") shows in the notes.
    return { turns, text: texts.join(' '), byTurn: texts.map((t, i) => `${t.trim()} [${spans[i]}]`).join(' | '), failed };
  } finally {
    await client.close();
  }
}

/** CPU seconds (user + system) the API process and its children (the whisper worker) have used so far, from /proc. */
function apiCpuSeconds(api: { child: { pid?: number }; childPids(): number[] }): number {
  const ticks = (pid: number) => {
    try {
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return Number(fields[11]) + Number(fields[12]);
    } catch {
      return 0; // a worker that ended meanwhile
    }
  };
  const pids = [api.child.pid ?? 0, ...api.childPids()].filter((pid) => pid > 0);
  return pids.reduce((sum, pid) => sum + ticks(pid), 0) / 100; // USER_HZ: 100 on Linux
}

/**
 * Clips of the eval set cut to at most SECONDS, each just after its last utterance that ends inside (0.3 s later, or
 * where the next one starts), so the reference is exactly the words heard. Only clips whose last utterance inside
 * ends after 60 % of SECONDS are taken: a clip whose first utterance runs past the cut would stream nothing scoreable.
 */
function cutClips(count: number) {
  const picked = evalSet('en')
    .sets.concat.flatMap((clip) => {
      const utterances = clip.utterances ?? [];
      const kept = utterances.filter((u) => u.end <= SECONDS);
      const last = kept.at(-1);
      if (!last || last.end < SECONDS * 0.6) return [];
      const next = utterances[kept.length];
      const cut = Math.min(SECONDS, last.end + 0.3, next ? next.start : Infinity);
      return [{ id: clip.id, file: clip.audio, cut, reference: kept.map((u) => u.reference).join(' ') }];
    })
    .slice(0, count);
  if (picked.length < count) throw new Error(`only ${picked.length} clips of the eval set have utterances ending between ${SECONDS * 0.6} and ${SECONDS} s`);
  return picked.map((clip) => ({ ...clip, audio: realtimeAudio(clip.file, 'pcm16').subarray(0, Math.round(clip.cut * 24_000) * 2) }));
}

async function main(): Promise<void> {
  const clips = cutClips(Math.max(...LEVELS) * ROUNDS);
  const audio = clips.map((clip) => clip.audio);
  const references = clips.map((clip) => clip.reference);
  const cutSeconds = clips.map((clip) => clip.cut);
  const model = realModel(realModels(), 'tiny.en', 'ggml');
  const api = await startApi({ WHISPER_MODEL: model, VAD_MODEL_PATH: sileroWeights(), JOB_WORKERS: '0', REALTIME_MAX_SESSIONS_PER_KEY: '64', REALTIME_MAX_SESSIONS: '64', ...API_ENV });
  const wsUrl = `${api.url.replace('http', 'ws')}/v1/realtime?intent=transcription`;
  console.log(`model: tiny.en (ggml, ${model}); VAD: Silero v6.2; clips: eval set en/concat, ${SECONDS} s each, real-time pace; API env: ${JSON.stringify(API_ENV)}; session starts: ${STARTS}${ROUNDS > 1 ? `, ${ROUNDS} rounds a level` : ''}${STARTS === 'staggered' ? ` (seed ${SEED}, uniform in ${STAGGER_SPAN_MS} ms: ${startDelays(Math.max(...LEVELS)).join(', ')} ms)` : ''}; CPUs: ${cpus().length}; load before: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  try {
    // What one engine call costs right now (a 3 s clip through POST /v1/audio/transcriptions), to read the figures by.
    const probeDir = mkdtempSync(join(tmpdir(), 'rt-probe-'));
    const probe = join(probeDir, 'probe.wav');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', clips[0]!.file, '-t', '3', probe]);
    const http = new OpenAI({ apiKey: 'local', baseURL: `${api.url}/v1`, maxRetries: 0, timeout: 600_000 });
    // The same 3 s as one manual realtime turn (commit → completed): the realtime path without queueing. Interleaved
    // with the sync calls, so that a change in the machine's load hits both alike.
    const probes: number[] = [];
    const manual: number[] = [];
    const probePcm = realtimeAudio(probe, 'pcm16');
    for (let i = 0; i < 3; i += 1) {
      const t0 = performance.now();
      await http.audio.transcriptions.create({ file: createReadStream(probe), model: 'whisper-1', language: 'en' });
      probes.push(performance.now() - t0);
      const client = await RealtimeTestClient.open(wsUrl);
      client.send({ type: 'session.update', session: { type: 'transcription', audio: { input: { transcription: { model: 'whisper-1', language: 'en' }, turn_detection: null } } } });
      client.send({ type: 'input_audio_buffer.append', audio: probePcm.toString('base64') });
      await client.waitFor((events) => events.some((r) => r.event.type === 'session.updated'));
      const t1 = performance.now();
      client.send({ type: 'input_audio_buffer.commit' });
      await client.waitFor((events) => events.some((r) => r.event.type === `${TRANSCRIPT}.completed` || r.event.type === `${TRANSCRIPT}.failed`));
      manual.push(performance.now() - t1);
      await client.close();
    }
    rmSync(probeDir, { recursive: true, force: true });
    console.log(`3 s of audio, one at a time (median of 3): sync route ${Math.round(percentile(probes, 50))} ms; realtime manual commit → completed ${Math.round(percentile(manual, 50))} ms; load now: ${loadavg()[0]!.toFixed(1)}`);
    // The file transcription of exactly the audio each clip streams, once per clip: what streamed finals are held to.
    const fileText = new Map<number, string>();
    const fileTranscript = async (clip: number): Promise<string> => {
      const known = fileText.get(clip);
      if (known !== undefined) return known;
      const dir = mkdtempSync(join(tmpdir(), 'rt-bench-'));
      const wav = join(dir, 'clip.wav');
      writeFileSync(join(dir, 'clip.raw'), audio[clip]!);
      execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 's16le', '-ar', '24000', '-ac', '1', '-i', join(dir, 'clip.raw'), wav]);
      const file = await http.audio.transcriptions.create({ file: createReadStream(wav), model: 'whisper-1', language: 'en', temperature: 0 });
      rmSync(dir, { recursive: true, force: true });
      fileText.set(clip, file.text);
      return file.text;
    };
    const rows: string[] = [];
    const notes: string[] = [];
    let holds = 0;
    for (const level of LEVELS) {
      const cpuBefore = apiCpuSeconds(api);
      const wallBefore = performance.now();
      // Round r streams clips r·level … r·level + level − 1; results stay in clip order.
      const results: Awaited<ReturnType<typeof session>>[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        const delays = startDelays(level, round);
        const first = round * level;
        results.push(...(await Promise.all(audio.slice(first, first + level).map((clip, i) => session(wsUrl, clip, delays[i])))));
      }
      const cpu = `${(apiCpuSeconds(api) - cpuBefore).toFixed(1)} s CPU / ${((performance.now() - wallBefore) / 1000).toFixed(1)} s wall, load ${loadavg()[0]!.toFixed(1)}`;
      const turns = results.flatMap((r) => r.turns);
      const failed = results.reduce((n, r) => n + r.failed, 0);
      const end = turns.map((t) => t.endToCompletedMs);
      const stopped = turns.map((t) => t.stoppedToCompletedMs);
      const first = turns.flatMap((t) => (t.startToFirstDeltaMs === null ? [] : [t.startToFirstDeltaMs]));
      const f = (values: number[]) => `${Math.round(percentile(values, 50))} / ${Math.round(percentile(values, 95))}`;
      // Accuracy after the timed part (the file transcriptions would load the engine during it).
      const items: Array<{ key: string; reference: string; hypothesis: string }> = [];
      for (const [clip, result] of results.entries()) {
        const file = await fileTranscript(clip);
        items.push({ key: 'streamed', reference: references[clip]!, hypothesis: result.text }, { key: 'file', reference: references[clip]!, hypothesis: file });
        if (level === Math.max(...LEVELS)) notes.push(`${clips[clip]!.id} (${cutSeconds[clip]!.toFixed(1)} s)\nreference: ${references[clip]}\nstreamed:  ${result.byTurn}\nfile:      ${file}`);
      }
      const scores = scoreTranscripts('en', items);
      const wer = `${scores['streamed']!.wer.toFixed(1)} / ${scores['file']!.wer.toFixed(1)}`;
      rows.push(`| ${level} | ${turns.length} | ${failed} | ${f(end)} | ${f(stopped)} | ${f(first)} | ${wer} (${scores['file']!.ref} words) | ${cpu} |`);
      console.log(rows.at(-1));
      if (percentile(end, 95) <= 1000 && failed === 0) holds = level;
      if (SOLO && level === Math.max(...LEVELS)) {
        // The same clips again, one session at a time: what the concurrent run lost that a lone session does not.
        const solo: typeof items = [];
        for (const [clip, together] of results.slice(0, level).entries()) {
          const alone = await session(wsUrl, audio[clip]!);
          solo.push({ key: 'alone', reference: references[clip]!, hypothesis: alone.text }, { key: 'together', reference: references[clip]!, hypothesis: together.text });
          notes.push(`${clips[clip]!.id} alone (${alone.failed} failed): ${alone.byTurn}`);
        }
        const soloScores = scoreTranscripts('en', solo);
        console.log(`--solo: the ${level} clips streamed one at a time: WER ${soloScores['alone']!.wer.toFixed(1)} % vs ${soloScores['together']!.wer.toFixed(1)} % with ${level} sessions at once`);
      }
    }
    console.log(`\nsession starts: ${STARTS}${STARTS === 'staggered' ? ` (seed ${SEED})` : ''}${ROUNDS > 1 ? `; ${ROUNDS} rounds a level, turns pooled` : ''}`);
    console.log('| sessions | turns | failed | end of speech → completed p50 / p95 ms | speech_stopped → completed p50 / p95 ms | speech start → first delta p50 / p95 ms | WER % streamed / file | API + worker CPU while streaming |');
    console.log('|---|---|---|---|---|---|---|---|');
    for (const row of rows) console.log(row);
    // Fitted encoder windows (REALTIME_FIT_*) that looped and were decoded again with the full window (the engine logs each).
    const refits = api.output.filter((line) => line.includes('fitted encoder window looped; decoding again')).length;
    const dropped = api.output.filter((line) => line.includes('fitted encoder window looped; its text is dropped')).length;
    if (refits + dropped > 0) console.log(`fitted-window decodes that looped: ${refits} redone with the full window (finals), ${dropped} dropped (partials)`);
    // Partials and dropped speculations are cancelled in the worker; one that missed its grace would kill the worker.
    const kills = api.output.filter((line) => line.includes('ignored cancel')).length;
    console.log(`worker killed for a cancel it did not honour in time: ${kills}`);
    console.log(`\nmost sessions with p95 (end of speech → completed) ≤ 1 s: ${holds}${holds === 0 ? ' (none of the levels tried)' : ''} of levels ${LEVELS.join(', ')}; load after: ${loadavg()[0]!.toFixed(1)}`);
    for (const note of notes) console.log(`\n${note}`);
  } finally {
    await api.stop();
  }
}

if (process.env['BENCH_LOCK_HELD'] !== '1') {
  // Re-run this very command under the shared bench lock (waits while another bench holds it).
  const locked = spawnSync('flock', ['/tmp/bench.lock', process.execPath, ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, BENCH_LOCK_HELD: '1' } });
  process.exit(locked.status ?? 1);
} else main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
