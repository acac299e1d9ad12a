import autocannon from 'autocannon';

/** What the load sends: short synchronous transcriptions, polls of existing jobs, and a few job creations. */
export type RequestKind = 'transcribe' | 'poll' | 'create';
export const REQUEST_KINDS: readonly RequestKind[] = ['transcribe', 'poll', 'create'];

export interface LoadOptions {
  readonly url: string;
  readonly connections: number;
  readonly durationSeconds: number;
  /** A multipart body with one short clip in `file`, built once and sent as is by every transcription and creation. */
  readonly upload: { readonly body: Buffer; readonly contentType: string };
  /** Jobs created before the run; polls go round them (and the jobs the run creates join them). */
  readonly jobIds: readonly string[];
  /** Relative weights of the kinds, interleaved evenly (smooth weighted round robin), e.g. 3:6:1. */
  readonly mix: Readonly<Record<RequestKind, number>>;
  /** Creations stop (and turn into polls) after this many, so the job queue stays bounded. */
  readonly maxJobCreations: number;
  /** A response slower than this counts as a timeout (an unexpected error). */
  readonly timeoutSeconds: number;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface Percentiles {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

export interface LoadResult {
  readonly durationSeconds: number;
  readonly total: number;
  readonly byKind: Readonly<Record<RequestKind, number>>;
  /** "kind status [code]" → count, e.g. "transcribe 503 ENGINE_BUSY" or "transcribe 503 DECODE_BUSY". */
  readonly outcomes: ReadonlyMap<string, number>;
  /** Responses outside the expected set, connection errors and timeouts. */
  readonly unexpected: number;
  /** Up to 20 examples of the unexpected, for the failure message. */
  readonly unexpectedExamples: readonly string[];
  /** 503 ENGINE_BUSY / DECODE_BUSY answers that carried a valid Retry-After (all of them, when nothing is unexpected). */
  readonly busyWithRetryAfter: number;
  readonly latencyMs: Percentiles;
  readonly latencyMsByKind: Readonly<Record<RequestKind, Percentiles>>;
}

interface Answer {
  readonly kind: RequestKind;
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, unknown>;
}

type MixedRequest = autocannon.Request & { kind?: RequestKind };

/**
 * Runs autocannon against a running API with the mixed load and checks every single answer: a transcription gets
 * 200 or 503 ENGINE_BUSY / DECODE_BUSY with Retry-After, a poll 200 with the job, a creation 202. Latency is kept per kind.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const schedule = new KindSchedule(options.mix);
  const jobIds = [...options.jobIds];
  let nextPoll = 0;
  let created = 0;
  const tally = new Tally();
  // onResponse (which sees status, body and headers) and the client's 'response' event (which sees the latency)
  // fire back to back in one synchronous step for the same client, so one slot hands the answer over.
  let pending: Answer | undefined;

  const nextRequest = (request: MixedRequest, context: { kind?: RequestKind }): MixedRequest => {
    let kind = schedule.next();
    if (kind === 'create' && created >= options.maxJobCreations) kind = 'poll';
    if (kind === 'poll' && jobIds.length === 0) kind = 'transcribe';
    context.kind = kind;
    const extra = options.headers ?? {};
    if (kind === 'poll') {
      const id = jobIds[nextPoll++ % jobIds.length];
      return { ...request, method: 'GET', path: `/api/v1/jobs/${id}`, headers: { ...extra }, body: undefined };
    }
    if (kind === 'create') created += 1;
    return {
      ...request,
      method: 'POST',
      path: kind === 'create' ? '/api/v1/jobs' : '/transcribe',
      headers: { ...extra, 'content-type': options.upload.contentType },
      body: options.upload.body,
    };
  };

  let finish: (result: autocannon.Result) => void = () => undefined;
  let fail: (error: Error) => void = () => undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSeconds,
    timeout: options.timeoutSeconds,
    requests: [
      {
        setupRequest: nextRequest as (request: autocannon.Request, context: object) => autocannon.Request,
        onResponse: (status, body, context, headers) => {
          pending = { kind: (context as { kind: RequestKind }).kind, status, body, headers: headers as Record<string, unknown> };
        },
      },
    ],
    setupClient: (client) => {
      client.on('response', (_status: number, _bytes: number, latencyMs: number) => {
        if (!pending) return;
        const answer = pending;
        pending = undefined;
        const id = tally.record(answer, latencyMs);
        if (id) jobIds.push(id);
      });
    },
  }, (error: Error | null, result: autocannon.Result) => (error ? fail(error) : finish(result)));
  instance.on('reqError', (error: Error) => tally.failure(`request error: ${error.message}`));
  const result = await done;
  return tally.result(result.duration);
}

/** Checks one answer against what its kind may get; returns the id of a created job. */
function verdict(answer: Answer): { outcome: string; problem?: string; jobId?: string; busyOk?: boolean } {
  const { kind, status } = answer;
  const json = parseJson(answer.body);
  const code = typeof json?.['code'] === 'string' ? json['code'] : undefined;
  const outcome = `${kind} ${status}${code ? ` ${code}` : ''}`;
  if (kind === 'transcribe' && status === 200) {
    return typeof json?.['text'] === 'string' ? { outcome } : { outcome, problem: `200 without a transcript: ${answer.body.slice(0, 200)}` };
  }
  // Back-pressure at either bounded stage, the decode gate or the engine queue, is an expected answer under load.
  if (kind === 'transcribe' && status === 503 && (code === 'ENGINE_BUSY' || code === 'DECODE_BUSY')) {
    const retryAfter = Number(answer.headers['retry-after'] ?? answer.headers['Retry-After']);
    return Number.isInteger(retryAfter) && retryAfter >= 1 ? { outcome, busyOk: true } : { outcome, problem: `503 ${code} without a valid Retry-After` };
  }
  if (kind === 'poll' && status === 200) {
    return typeof json?.['id'] === 'string' ? { outcome } : { outcome, problem: `poll 200 without a job: ${answer.body.slice(0, 200)}` };
  }
  if (kind === 'create' && status === 202 && typeof json?.['id'] === 'string') return { outcome, jobId: json['id'] };
  return { outcome, problem: `${outcome}: ${answer.body.slice(0, 300)}` };
}

class Tally {
  private readonly outcomes = new Map<string, number>();
  private readonly byKind: Record<RequestKind, number> = { transcribe: 0, poll: 0, create: 0 };
  private readonly latencies: Record<RequestKind, number[]> = { transcribe: [], poll: [], create: [] };
  private readonly examples: string[] = [];
  private unexpected = 0;
  private busyWithRetryAfter = 0;

  record(answer: Answer, latencyMs: number): string | undefined {
    const { outcome, problem, jobId, busyOk } = verdict(answer);
    this.outcomes.set(outcome, (this.outcomes.get(outcome) ?? 0) + 1);
    this.byKind[answer.kind] += 1;
    this.latencies[answer.kind].push(latencyMs);
    if (busyOk) this.busyWithRetryAfter += 1;
    if (problem) this.failure(problem);
    return jobId;
  }

  failure(description: string): void {
    this.unexpected += 1;
    if (this.examples.length < 20) this.examples.push(description);
  }

  result(durationSeconds: number): LoadResult {
    const all = REQUEST_KINDS.flatMap((kind) => this.latencies[kind]);
    return {
      durationSeconds,
      total: all.length,
      byKind: { ...this.byKind },
      outcomes: new Map([...this.outcomes].sort(([a], [b]) => a.localeCompare(b))),
      unexpected: this.unexpected,
      unexpectedExamples: [...this.examples],
      busyWithRetryAfter: this.busyWithRetryAfter,
      latencyMs: percentiles(all),
      latencyMsByKind: {
        transcribe: percentiles(this.latencies.transcribe),
        poll: percentiles(this.latencies.poll),
        create: percentiles(this.latencies.create),
      },
    };
  }
}

/** Smooth weighted round robin: kinds interleave in proportion to their weights, the same order every run. */
class KindSchedule {
  private readonly current = new Map<RequestKind, number>();
  private readonly kinds: RequestKind[];
  private readonly totalWeight: number;

  constructor(private readonly weights: Readonly<Record<RequestKind, number>>) {
    this.kinds = REQUEST_KINDS.filter((kind) => weights[kind] > 0);
    this.totalWeight = this.kinds.reduce((sum, kind) => sum + weights[kind], 0);
    if (this.kinds.length === 0) throw new Error('the load mix has no kind with a positive weight');
  }

  next(): RequestKind {
    let best = this.kinds[0] as RequestKind;
    for (const kind of this.kinds) {
      this.current.set(kind, (this.current.get(kind) ?? 0) + this.weights[kind]);
      if ((this.current.get(kind) ?? 0) > (this.current.get(best) ?? 0)) best = kind;
    }
    this.current.set(best, (this.current.get(best) ?? 0) - this.totalWeight);
    return best;
  }
}

export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number));
  return { count: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[sorted.length - 1] ?? 0 };
}

function parseJson(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
