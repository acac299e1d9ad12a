/**
 * Accuracy on real weights and real speech, four paths over the very same audio:
 *   node scripts/run-ts.mjs bench/accuracy.ts [--quick] [--beam 1|5] [--threads 2] [--languages en] [--paths a,b,c,d]
 *     (a) our API, ENGINE=local (whisper.cpp worker, ggml weights)      (b) our API, ENGINE=http → model container,
 *         TransformersRuntime on CPU (HF weights)                         (c) faster-whisper on the CTranslate2
 *         weights as shipped — the peer every ratio is taken against     (d) whisper.cpp's own whisper-cli
 * Models come from `npm run models:real` (override one with --ggml FILE, --hf DIR, --ct2 DIR); the evaluation set
 * from bench/accuracy/build_eval_set.py (cached in .cache/eval/). Same decoding everywhere: temperature 0 without
 * fallback, no previous-text conditioning, greedy (or --beam 5), the same thread count.
 * Prints WER (Whisper-normalized) and real-time factor per set and language, and the utterance-start error on the
 * long-form recording (run as a job through the API), with ratios to faster-whisper. --quick: ~1 min of short
 * clips and ~1 min of 30 s concatenations, no long form. --sets short,concat,long picks sets; --minutes N keeps the
 * first N minutes of each short/concat set (the multilingual base model is ~3x slower than tiny.en).
 * --detect N: language identification instead of WER — N short clips per language, spread over the set, sent with
 * no language (the API field left out, whisper-cli -l auto, faster-whisper language=None); prints how often each
 * path names the spoken language. Needs a multilingual model (--model base).
 * Targets: local WER ≤ peer + 0.3 points at ≤ 1.0x its time; long-form WER ≤ short-clip WER + 0.5;
 * start error median ≤ 0.3 s, p95 ≤ 1.0 s.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import {
  evalSet, firstSeconds, realModel, realModels, scoreTranscripts, speechPython, workspaceCacheDir, workspaceRoot,
  type EvalItem, type EvalSetName, type Score, type ScoreItem,
} from '@speech/test-support';

import { type ApiProcess, startApi } from '../apps/api/test/e2e/support/api-process';
import {
  type DecodeSettings, type PathTranscript, transcribeFasterWhisper, transcribeJob, transcribeSync, transcribeWhisperCli,
} from '../apps/api/test/e2e/support/real-speech';
import { startModelServer } from '../apps/api/test/support/model-server-process';
import { ensureNativeBuild } from '../apps/api/src/engines/local/native-build';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] as string) : fallback;
};
const quick = process.argv.includes('--quick');
const beam = Number(arg('--beam', '1'));
const threads = Number(arg('--threads', '2'));
const languages = arg('--languages', 'en').split(',') as ('en' | 'es' | 'fr')[];
const paths = arg('--paths', 'a,b,c,d').split(',');
const modelName = arg('--model', 'tiny.en');
const onlySets = arg('--sets', 'short,concat,long').split(',');
const minutes = Number(arg('--minutes', '0'));
const detectClips = Number(arg('--detect', '0'));
const say = (m: string) => process.stderr.write(`${m}\n`);
const quiet = { log: () => undefined, warn: () => undefined, error: (m: string) => say(m) };

const PATH_NAMES: Record<string, string> = {
  a: 'API local (whisper.cpp worker)',
  b: 'API http → TransformersRuntime',
  c: 'faster-whisper (peer)',
  d: 'whisper.cpp whisper-cli',
};

type Runs = Record<string, Map<string, PathTranscript>>; // path → item id → transcript

/** Only the formats the chosen paths read: a and d ggml, b Hugging Face, c CTranslate2. */
function modelPaths(): { ggml: string; hf: string; ct2: string } {
  const needs = { ggml: paths.includes('a') || paths.includes('d'), hf: paths.includes('b'), ct2: paths.includes('c') };
  const overrides = { ggml: arg('--ggml', ''), hf: arg('--hf', ''), ct2: arg('--ct2', '') };
  const missing = (Object.keys(needs) as (keyof typeof needs)[]).filter((format) => needs[format] && !overrides[format]);
  const models = missing.length > 0 ? realModels() : [];
  const pick = (format: keyof typeof needs) => overrides[format] || (needs[format] ? realModel(models, modelName, format) : '');
  return { ggml: pick('ggml'), hf: pick('hf'), ct2: pick('ct2') };
}

async function runApiPath(api: ApiProcess, sets: Record<EvalSetName, EvalItem[]>, language: string, label: string): Promise<Map<string, PathTranscript>> {
  const out = new Map<string, PathTranscript>();
  for (const [name, items] of Object.entries(sets)) {
    for (const [i, item] of items.entries()) {
      out.set(item.id, name === 'long' ? await transcribeJob(api.url, item.audio, language) : await transcribeSync(api.url, item.audio, language));
      if (i % 50 === 0) say(`  ${label} ${name} ${i + 1}/${items.length}`);
    }
  }
  return out;
}

async function runPaths(sets: Record<EvalSetName, EvalItem[]>, language: string, models: { ggml: string; hf: string; ct2: string }): Promise<Runs> {
  const settings: DecodeSettings = { language, threads, beam };
  const all = Object.values(sets).flat();
  const runs: Runs = {};
  const apiEnv = { WHISPER_THREADS: String(threads), JOB_WORKERS: '1', ENGINE_TIMEOUT_BASE_SECONDS: '3600' };
  if (beam > 1 && paths.includes('b')) say('note: the model container has no beam setting; path b runs greedy');
  if (paths.includes('a')) {
    say('(a) API with the local engine');
    const api = await startApi({ ...apiEnv, ENGINE: 'local', WHISPER_MODEL: models.ggml, WHISPER_BEAM_SIZE: String(beam) });
    try {
      runs['a'] = await runApiPath(api, sets, language, 'a');
    } finally {
      await api.stop();
    }
  }
  if (paths.includes('b')) {
    say('(b) API with ENGINE=http → model container (TransformersRuntime, CPU)');
    // The container may need its own interpreter (its pinned server stack); the scoring Python stays SPEECH_PYTHON.
    const scoringPython = speechPython();
    process.env['SPEECH_PYTHON'] = process.env['MODEL_CONTAINER_PYTHON'] ?? scoringPython;
    const model = await startModelServer({
      RUNTIME: 'transformers', MODEL_PATH: models.hf, DEVICE: 'cpu', DTYPE: 'float32',
      OMP_NUM_THREADS: String(threads), HOME: process.env['HOME'] ?? '/tmp', HF_HUB_OFFLINE: '1',
    }, 10 * 60_000).finally(() => {
      process.env['SPEECH_PYTHON'] = scoringPython;
    });
    try {
      const api = await startApi({ ...apiEnv, ENGINE: 'http', MODEL_SERVER_URL: model.url });
      try {
        runs['b'] = await runApiPath(api, sets, language, 'b');
      } finally {
        await api.stop();
      }
    } finally {
      await model.stop();
    }
  }
  if (paths.includes('c')) {
    say('(c) faster-whisper');
    const transcripts = transcribeFasterWhisper(models.ct2, all.map((item) => item.audio), settings);
    runs['c'] = new Map(all.map((item, i) => [item.id, transcripts[i] as PathTranscript]));
  }
  if (paths.includes('d')) {
    say('(d) whisper-cli');
    const cli = (await ensureNativeBuild('native', quiet)).binaries['whisper-cli'];
    runs['d'] = new Map(all.map((item) => [item.id, transcribeWhisperCli(cli, models.ggml, item.audio, settings)]));
  }
  return runs;
}

function scoreRuns(runs: Runs, sets: Record<EvalSetName, EvalItem[]>, language: string): Record<string, Score> {
  const items: ScoreItem[] = [];
  const longIds = new Set((sets.long[0]?.utterances ?? []).map((u) => u.id));
  for (const [p, transcripts] of Object.entries(runs)) {
    for (const [set, list] of Object.entries(sets)) {
      for (const item of list) {
        const t = transcripts.get(item.id);
        if (!t) continue;
        const base = { reference: item.reference, hypothesis: t.text, audio_seconds: item.duration, seconds: t.seconds };
        items.push({ key: `${p}|${set}`, ...base, ...(item.utterances ? { utterances: item.utterances, words: t.words } : {}) });
        // The long form's speech as separate short clips: the baseline its WER is judged against.
        if (set === 'short' && longIds.has(item.id)) items.push({ key: `${p}|long-as-clips`, ...base });
      }
    }
  }
  return scoreTranscripts(language, items);
}

const f = (value: number | null | undefined, digits = 2) => (value === null || value === undefined ? '—' : value.toFixed(digits));
const ratio = (a: number | null | undefined, b: number | null | undefined) => (a == null || b == null || b === 0 ? '—' : `${(a / b).toFixed(2)}x`);

function table(language: string, scores: Record<string, Score>, sets: Record<EvalSetName, EvalItem[]>): string {
  const setKeys = [...Object.keys(sets).filter((s) => sets[s as EvalSetName].length > 0), ...(sets.long.length && sets.short.length > 100 ? ['long-as-clips'] : [])];
  const lines = [
    `| lang | set | path | WER % | Δ WER vs peer | RTF | time vs peer | start err median / p95 s (matched) |`,
    `|---|---|---|---|---|---|---|---|`,
  ];
  for (const set of setKeys) {
    const peer = scores[`c|${set}`];
    for (const p of paths) {
      const s = scores[`${p}|${set}`];
      if (!s) continue;
      const starts = s.starts ? `${f(s.starts.median)} / ${f(s.starts.p95)} (${s.starts.matched}/${s.starts.total})` : '—';
      const delta = peer ? `${s.wer - peer.wer >= 0 ? '+' : ''}${f(s.wer - peer.wer)}` : '—';
      lines.push(`| ${language} | ${set} (${f(s.audio_seconds / 60, 1)} min) | ${p}: ${PATH_NAMES[p]} | ${f(s.wer)} | ${delta} | ${f(s.rtf, 3)} | ${ratio(s.seconds, peer?.seconds)} | ${starts} |`);
    }
  }
  return lines.join('\n');
}

/** Every k-th clip, so N clips span the whole recording session rather than its first minute. */
function spread(items: readonly EvalItem[], n: number): EvalItem[] {
  const step = Math.max(1, Math.floor(items.length / n));
  return items.filter((_, i) => i % step === 0).slice(0, n);
}

async function detectLanguages(models: { ggml: string; hf: string; ct2: string }): Promise<string> {
  const lines = [
    `| spoken | path | clips | named correctly % | named instead (count) | RTF |`,
    `|---|---|---|---|---|---|`,
  ];
  const raw: Record<string, unknown> = {};
  for (const language of languages) {
    const clips = spread(evalSet(language).sets.short, detectClips);
    const runs = await runPaths({ short: clips, concat: [], long: [] }, 'auto', models);
    raw[language] = Object.fromEntries(Object.entries(runs).map(([p, m]) => [p, Object.fromEntries(m)]));
    for (const p of paths) {
      const transcripts = runs[p];
      if (!transcripts) continue;
      const named = clips.map((c) => transcripts.get(c.id)?.language ?? '?');
      const wrong = new Map<string, number>();
      for (const code of named) if (code !== language) wrong.set(code, (wrong.get(code) ?? 0) + 1);
      const seconds = clips.reduce((sum, c) => sum + (transcripts.get(c.id)?.seconds ?? 0), 0);
      const audio = clips.reduce((sum, c) => sum + c.duration, 0);
      const instead = [...wrong].map(([code, count]) => `${code} ${count}`).join(', ') || '—';
      lines.push(`| ${language} | ${p}: ${PATH_NAMES[p]} | ${clips.length} | ${f((100 * named.filter((c) => c === language).length) / clips.length, 1)} | ${instead} | ${f(seconds / audio, 3)} |`);
    }
  }
  const out = path.join(workspaceCacheDir('eval'), `language-detection-${modelName}.json`);
  writeFileSync(out, JSON.stringify(raw, null, 1));
  return `\nlanguage detection, model ${modelName}, ${threads} threads, ${beam > 1 ? `beam ${beam}` : 'greedy'}, no language given\n${lines.join('\n')}\n(raw: ${out})\n`;
}

async function main(): Promise<void> {
  if (!existsSync(path.join(workspaceRoot(), 'dist/apps/api/main.js')) && (paths.includes('a') || paths.includes('b'))) {
    say('building the API (npx nx build api)');
    execFileSync('npx', ['nx', 'build', 'api'], { cwd: workspaceRoot(), stdio: 'inherit', env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' } });
  }
  const models = modelPaths();
  say(`models: ggml ${models.ggml} | hf ${models.hf} | ct2 ${models.ct2}; threads ${threads}, beam ${beam}${quick ? ', quick' : ''}`);
  if (detectClips > 0) {
    process.stdout.write(await detectLanguages(models));
    return;
  }
  const report: string[] = [];
  const raw: Record<string, unknown> = {};
  for (const language of languages) {
    const manifest = evalSet(language);
    const all: Record<EvalSetName, EvalItem[]> = quick
      ? { short: firstSeconds(manifest.sets.short, 60), concat: firstSeconds(manifest.sets.concat, 60), long: [] }
      : minutes > 0
        ? { short: firstSeconds(manifest.sets.short, minutes * 60), concat: firstSeconds(manifest.sets.concat, minutes * 60), long: [...manifest.sets.long] }
        : { short: [...manifest.sets.short], concat: [...manifest.sets.concat], long: [...manifest.sets.long] };
    const sets = Object.fromEntries(Object.entries(all).map(([name, items]) => [name, onlySets.includes(name) ? items : []])) as Record<EvalSetName, EvalItem[]>;
    const runs = await runPaths(sets, language, models);
    const scores = scoreRuns(runs, sets, language);
    raw[language] = { scores, transcripts: Object.fromEntries(Object.entries(runs).map(([p, m]) => [p, Object.fromEntries(m)])) };
    report.push(table(language, scores, sets));
  }
  const out = path.join(workspaceCacheDir('eval'), `accuracy-${modelName}-${beam > 1 ? `beam${beam}` : 'greedy'}${quick ? '-quick' : ''}${minutes > 0 ? `-${minutes}min` : ''}-${onlySets.join('+')}-${languages.join('+')}.json`);
  writeFileSync(out, JSON.stringify(raw, null, 1));
  process.stdout.write(`\nmodel ${modelName}, ${threads} threads, ${beam > 1 ? `beam ${beam}` : 'greedy'}, temperature 0 (no fallback)\n${report.join('\n\n')}\n(raw transcripts and scores: ${out})\n`);
}

main().catch((error: unknown) => {
  say(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
