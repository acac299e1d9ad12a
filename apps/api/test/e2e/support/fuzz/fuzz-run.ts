import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, isErrorCode } from '@speech/contracts';
import { multipartBody } from '../multipart';
import { AUDIO_MUTATIONS, mutateAudio, type SeedFiles } from './audio-mutations';
import { type Framing, MULTIPART_MUTATIONS, mutateMultipart } from './multipart-mutations';
import { Prng } from './prng';
import { type RawAnswer, sendRaw } from './raw-http';

export const FUZZ_ROUTES = ['/transcribe', '/v1/audio/transcriptions'] as const;

/**
 * Statuses the upload routes document; 503 only as ENGINE_BUSY with Retry-After; 408 only for a request left
 * unfinished. 431 (HEADERS_TOO_LARGE) and 400 MALFORMED_REQUEST come from Node's parser, answered in our shape
 * by limits/client-errors.ts.
 */
const DOCUMENTED = new Set([200, 400, 413, 415, 422, 431, 503]);

export interface FuzzOptions {
  readonly baseUrl: string;
  readonly seed: number;
  readonly audioCases: number;
  readonly multipartCases: number;
  /** Cases in flight at once. */
  readonly concurrency: number;
  /** The clean seed files, one per container (≤ 1 s each). */
  readonly seeds: SeedFiles;
  /** Replay a single case of the run. */
  readonly onlyCase?: number;
  /** Failing cases' request bytes are written here, named seed-case.bin, for replay with curl or nc. */
  readonly failureDir?: string;
  readonly answerTimeoutMs?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface FuzzReport {
  readonly seed: number;
  readonly cases: number;
  readonly wallSeconds: number;
  /** "audio bit-flip" → outcome ("422 UNDECODABLE_AUDIO", "closed", "431 HEADERS_TOO_LARGE") → count. */
  readonly byKind: ReadonlyMap<string, ReadonlyMap<string, number>>;
  readonly byOutcome: ReadonlyMap<string, number>;
  readonly failures: readonly string[];
}

interface CaseResult {
  readonly label: string;
  readonly outcome: string;
  readonly problem?: string;
  readonly replay: string;
  readonly bytes: Buffer;
}

/** Sends every case through the real upload path of a running API and judges each answer on its own. */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const total = options.audioCases + options.multipartCases;
  const indices = options.onlyCase !== undefined ? [options.onlyCase] : Array.from({ length: total }, (_, i) => i);
  const byKind = new Map<string, Map<string, number>>();
  const byOutcome = new Map<string, number>();
  const failures: string[] = [];
  const started = performance.now();
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < indices.length) {
      const index = indices[next++] as number;
      const result = await runCase(options, index);
      const kindCounts = byKind.get(result.label) ?? new Map<string, number>();
      kindCounts.set(result.outcome, (kindCounts.get(result.outcome) ?? 0) + 1);
      byKind.set(result.label, kindCounts);
      byOutcome.set(result.outcome, (byOutcome.get(result.outcome) ?? 0) + 1);
      if (result.problem) {
        failures.push(`${result.replay}: ${result.problem}`);
        if (options.failureDir) {
          mkdirSync(options.failureDir, { recursive: true });
          writeFileSync(join(options.failureDir, `${options.seed}-${index}.bin`), result.bytes);
        }
      }
      options.onProgress?.(++done, indices.length);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const sorted = <V>(map: Map<string, V>) => new Map([...map].sort(([a], [b]) => a.localeCompare(b)));
  return { seed: options.seed, cases: indices.length, wallSeconds: (performance.now() - started) / 1000, byKind: sorted(byKind), byOutcome: sorted(byOutcome), failures };
}

/** Case `index` of a run: audio cases first in the numbering, then multipart; kinds in turn so each gets its share. */
async function runCase(options: FuzzOptions, index: number): Promise<CaseResult> {
  const random = Prng.forCase(options.seed, index);
  const route = random.pick(FUZZ_ROUTES);
  const timeoutMs = options.answerTimeoutMs ?? 60_000;
  const port = Number(new URL(options.baseUrl).port);
  if (index < options.audioCases) {
    const mutated = mutateAudio(options.seeds, random, AUDIO_MUTATIONS[index % AUDIO_MUTATIONS.length]);
    const { body, contentType } = multipartBody([{ name: 'file', value: mutated.bytes, filename: `fuzz.${mutated.format}`, contentType: 'application/octet-stream' }], `----fuzz${index}`);
    const answer = await postBody(`${options.baseUrl}${route}`, body, contentType, timeoutMs);
    const replay = `seed=${options.seed} case=${index} audio ${mutated.kind} ${mutated.format} (${mutated.detail}) ${route}`;
    return { label: `audio ${mutated.kind}`, ...judge(answer, route, 'complete'), replay, bytes: mutated.bytes };
  }
  const seedWav = options.seeds.wav;
  const request = mutateMultipart(route, seedWav, random, MULTIPART_MUTATIONS[(index - options.audioCases) % MULTIPART_MUTATIONS.length]);
  const answer = await sendRaw(request.bytes, { port, framing: request.framing, answerTimeoutMs: timeoutMs });
  const replay = `seed=${options.seed} case=${index} multipart ${request.kind} (${request.detail}) ${route}`;
  return { label: `multipart ${request.kind}`, ...judge(answer, route, request.framing), replay, bytes: request.bytes };
}

async function postBody(url: string, body: Buffer, contentType: string, timeoutMs: number): Promise<RawAnswer> {
  try {
    const response = await fetch(url, { method: 'POST', body: body as unknown as BodyInit, headers: { 'content-type': contentType }, signal: AbortSignal.timeout(timeoutMs) });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => (headers[key] = value));
    return { status: response.status, headers, body: Buffer.from(await response.arrayBuffer()), hung: false };
  } catch (error) {
    const hung = (error as Error).name === 'TimeoutError';
    return { headers: {}, body: Buffer.alloc(0), hung };
  }
}

/** The verdict on one answer: documented status, stable code in the route's error shape, never INTERNAL_ERROR. */
export function judge(answer: RawAnswer, route: string, framing: Framing): { outcome: string; problem?: string } {
  if (answer.hung) return { outcome: 'hung', problem: 'no answer and no close in time' };
  if (answer.status === undefined) {
    return framing === 'complete' ? { outcome: 'closed', problem: 'closed without an answer to a complete request' } : { outcome: 'closed' };
  }
  const status = answer.status;
  if (!answer.headers['x-request-id']) {
    return { outcome: `${status} (no request id)`, problem: `status ${status} without a request id: not in the error model` };
  }
  const json = parseJson(answer.body);
  if (status === 200) {
    return typeof json?.['text'] === 'string' ? { outcome: '200' } : { outcome: '200', problem: `200 without a transcript: ${answer.body.toString('utf8', 0, 200)}` };
  }
  const openAi = route.startsWith('/v1/');
  const errorObject = openAi ? (json?.['error'] as Record<string, unknown> | undefined) : json;
  const code = errorObject?.['code'];
  const outcome = `${status} ${typeof code === 'string' ? code : '(no code)'}`;
  if (!isErrorCode(code)) return { outcome, problem: `no stable code in the body: ${answer.body.toString('utf8', 0, 300)}` };
  if (code === 'INTERNAL_ERROR' || status >= 500 && status !== 503) return { outcome, problem: 'server error' };
  if (!DOCUMENTED.has(status) && !(status === 408 && framing !== 'complete')) return { outcome, problem: `status ${status} is not documented for uploads` };
  if (ERROR_CODES[code].status !== status) return { outcome, problem: `code ${code} belongs to status ${ERROR_CODES[code].status}` };
  if (status === 503 && (code !== 'ENGINE_BUSY' || !/^[1-9]\d*$/.test(answer.headers['retry-after'] ?? ''))) return { outcome, problem: '503 other than ENGINE_BUSY with Retry-After' };
  if (!openAi && !answer.headers['content-type']?.startsWith('application/problem+json')) return { outcome, problem: `native error as ${answer.headers['content-type']}` };
  return { outcome };
}

function parseJson(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function formatFuzzReport(report: FuzzReport): string {
  const lines = [`seed ${report.seed}: ${report.cases} cases in ${report.wallSeconds.toFixed(1)} s (${(report.cases / report.wallSeconds).toFixed(1)}/s)`, '', 'by mutation kind:'];
  for (const [kind, outcomes] of report.byKind) {
    const count = [...outcomes.values()].reduce((a, b) => a + b, 0);
    lines.push(`  ${kind} (${count}): ${[...outcomes].map(([outcome, n]) => `${outcome} ×${n}`).join(', ')}`);
  }
  lines.push('', 'by status:', ...[...report.byOutcome].map(([outcome, n]) => `  ${outcome}: ${n}`));
  lines.push('', `failures: ${report.failures.length}`, ...report.failures.slice(0, 30).map((failure) => `  ! ${failure}`));
  return lines.join('\n');
}
