import { childProcesses, residentMiB } from './process-table';

export interface RssSeries {
  readonly startMiB: number;
  readonly peakMiB: number;
  readonly endMiB: number;
  readonly samples: number;
}

export interface RssReport {
  readonly api: RssSeries;
  /** The engine's long-lived child (the whisper worker); ffmpeg children come and go and are left out. */
  readonly worker: RssSeries | undefined;
}

/**
 * Samples the resident memory of the API process and of its whisper worker every `everyMs` from /proc.
 * The first sample is taken at construction, so `startMiB` is the memory before the load began.
 */
export class RssSampler {
  private readonly api: number[] = [];
  private readonly worker: number[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    everyMs = 250,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }

  stop(): RssReport {
    clearInterval(this.timer);
    this.sample();
    return { api: summarize(this.api) as RssSeries, worker: summarize(this.worker) };
  }

  private sample(): void {
    const api = residentMiB(this.pid);
    if (api !== undefined) this.api.push(api);
    const worker = childProcesses(this.pid).find((child) => !child.command.startsWith('ffmpeg') && child.state !== 'Z');
    const workerRss = worker ? residentMiB(worker.pid) : undefined;
    if (workerRss !== undefined) this.worker.push(workerRss);
  }
}

function summarize(values: readonly number[]): RssSeries | undefined {
  if (values.length === 0) return undefined;
  return { startMiB: values[0] as number, peakMiB: Math.max(...values), endMiB: values[values.length - 1] as number, samples: values.length };
}
