#!/usr/bin/env node
// A stand-in for the native whisper-worker that speaks the same JSON-lines protocol, for the supervisor's
// and the engine's unit tests. Behaviour comes from FAKE_WORKER_MODE and from the pcm path of each job:
//   FAKE_WORKER_MODE=fatal          report MODEL_UNAVAILABLE and exit 2 (like a model that cannot load)
//   FAKE_WORKER_MODE=die-at-start   exit 1 before ready
//   FAKE_WORKER_MODE=ignore-cancel  never answer a cancel (the supervisor must kill us)
//   pcm containing "slow"   report progress every 50 ms until cancelled
//   pcm containing "crash"  exit 3 in the middle of the job
//   pcm containing "loop"   with audio_ctx set, write one sentence twice (as tiny.en does on a shortened window)
//   pcm containing "runaway" with max_window_tokens set, stop at the budget (token_budget_exceeded, no segments)
//   otherwise               answer with one segment whose text is the op as JSON (so tests can inspect it)
'use strict';
const readline = require('node:readline');

const mode = process.env.FAKE_WORKER_MODE || 'normal';
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const parallel = Number(arg('--parallel', '1'));
const threads = Number(arg('--threads', '1'));
const emit = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);
const running = new Map();

if (mode === 'die-at-start') process.exit(1);
if (mode === 'fatal') {
  emit({ event: 'fatal', code: 'MODEL_UNAVAILABLE', message: `cannot load ${arg('--model', '?')}` });
  process.exit(2);
}
process.stderr.write('fake worker: loading model\n');
process.stdout.write('this line is not JSON and must be ignored\n');
emit({ event: 'ready', model: arg('--model', ''), multilingual: true, n_mels: 80, system_info: 'FAKE', threads, parallel });

function finish(id, event) {
  clearInterval(running.get(id));
  running.delete(id);
  emit({ ...event, id });
}

function transcribe(op) {
  if (op.pcm.includes('crash')) {
    emit({ event: 'progress', id: op.id, percent: 10 });
    setTimeout(() => process.exit(3), 20);
    return;
  }
  if (op.pcm.includes('slow')) {
    let percent = 0;
    running.set(op.id, setInterval(() => emit({ event: 'progress', id: op.id, percent: (percent = (percent + 1) % 100) }), 50));
    return;
  }
  running.set(op.id, setTimeout(() => {
    emit({ event: 'progress', id: op.id, percent: 50 });
    if (op.pcm.includes('runaway') && op.max_window_tokens) {
      finish(op.id, { event: 'result', language: 'en', segments: [], token_budget_exceeded: true, timings: { total_ms: 5 } });
      return;
    }
    finish(op.id, {
      event: 'result',
      language: op.language === 'auto' ? 'en' : op.language,
      segments: [{
        t0_ms: 0, t1_ms: 1200, text: op.pcm.includes('loop') && op.audio_ctx ? ' Message from extension. Message from extension.' : ` ${JSON.stringify(op)}`, no_speech_prob: 0.01, avg_logprob: -0.3,
        tokens: op.word_timestamps ? [{ text: ' fake', t0_ms: 0, t1_ms: 500, p: 0.9 }, { text: 'd', t0_ms: 500, t1_ms: 600, p: 0.5 }] : undefined,
      }],
      timings: { total_ms: 5 },
    });
  }, 20));
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  let op;
  try {
    op = JSON.parse(line);
  } catch {
    emit({ event: 'error', id: null, code: 'INVALID_OPTION', message: 'malformed line' });
    return;
  }
  if (op.op === 'shutdown') process.exit(0);
  if (op.op === 'cancel') {
    if (mode !== 'ignore-cancel' && running.has(op.id)) finish(op.id, { event: 'error', code: 'CANCELLED', message: 'cancelled' });
    return;
  }
  if (running.size >= parallel) {
    emit({ event: 'error', id: op.id, code: 'ENGINE_BUSY', message: 'all slots busy' });
    return;
  }
  if (op.op === 'bench_encode') {
    running.set(op.id, setTimeout(() => finish(op.id, { event: 'bench', encode_ms: 12.5, threads: op.threads }), 5));
    return;
  }
  if (op.language === 'xx') {
    emit({ event: 'error', id: op.id, code: 'INVALID_OPTION', message: "unknown language 'xx'" });
    return;
  }
  transcribe(op);
});
process.stdin.on('end', () => process.exit(0));
