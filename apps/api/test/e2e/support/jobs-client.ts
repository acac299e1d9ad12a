import type { Job, JobAccepted, JobEvent } from '@speech/contracts';
import { filePart, type Part, postMultipart } from './multipart';

/** Small helpers over the jobs API, as a client would use it. */
export async function createJob(baseUrl: string, audioPath: string, fields: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<JobAccepted> {
  const parts: Part[] = [filePart(audioPath, audioPath.split('/').pop() ?? 'audio'), ...Object.entries(fields).map(([name, value]) => ({ name, value }))];
  const response = await postMultipart(`${baseUrl}/api/v1/jobs`, parts, headers);
  if (response.status !== 202) throw new Error(`create answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as JobAccepted;
}

export async function getJob(baseUrl: string, id: string): Promise<Job> {
  const response = await fetch(`${baseUrl}/api/v1/jobs/${id}`);
  if (response.status !== 200) throw new Error(`GET job answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as Job;
}

/** Polls until `done(job)` holds; fails with the last state after `timeoutMs`. */
export async function waitForJob(baseUrl: string, id: string, done: (job: Job) => boolean, timeoutMs = 60_000, everyMs = 200): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  let job = await getJob(baseUrl, id);
  while (!done(job)) {
    if (Date.now() > deadline) throw new Error(`job ${id} did not reach the expected state in ${timeoutMs} ms: ${JSON.stringify(job)}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
    job = await getJob(baseUrl, id);
  }
  return job;
}

export const isEnded = (job: Job) => job.status === 'succeeded' || job.status === 'failed' || job.status === 'cancelled';

export interface EventReader {
  /** Events received so far, in arrival order. */
  readonly events: JobEvent[];
  /** Resolves with all events once `until(event)` holds for a received event. */
  waitFor(until: (event: JobEvent) => boolean, timeoutMs?: number): Promise<JobEvent[]>;
  close(): void;
}

/** Opens a text/event-stream with fetch and parses `event: job` messages as they arrive. */
export async function readEvents(url: string, headers: Record<string, string> = {}): Promise<EventReader> {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal, headers: { accept: 'text/event-stream', ...headers } });
  const body = response.body;
  if (response.status !== 200 || !body) throw new Error(`SSE answered ${response.status}: ${await response.text()}`);
  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) throw new Error('not an event stream');
  const events: JobEvent[] = [];
  const waiters: Array<() => void> = [];
  const pump = async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    const reader = body.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n');
        if (block.includes('event: job') && data) {
          events.push(JSON.parse(data) as JobEvent);
          for (const wake of waiters.splice(0)) wake();
        }
      }
    }
  };
  pump().catch(() => undefined);
  return {
    events,
    waitFor: async (until, timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!events.some(until)) {
        if (Date.now() > deadline) throw new Error(`no matching event within ${timeoutMs} ms; got ${events.map((e) => `${e.type}:${e.job.status}`).join(', ')}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 250);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return [...events];
    },
    close: () => controller.abort(),
  };
}

export async function metricValue(baseUrl: string, pattern: RegExp): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  return Number(pattern.exec(text)?.[1] ?? 0);
}
