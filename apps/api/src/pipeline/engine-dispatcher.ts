import { DomainError } from '../common/domain-error';

/** The lane of work that names no model (and of every task of a single-lane queue such as diarization). */
const DEFAULT_LANE = '';

interface Lane {
  readonly key: string;
  running: number;
  readonly waiting: Waiter[];
}

interface Waiter {
  /** Job work: served after every waiting request, and not counted against the queue size. */
  readonly background: boolean;
  readonly start: () => void;
  readonly signal: AbortSignal;
  readonly onAbort: () => void;
}

/**
 * Bounds engine work per lane (one lane per model): `concurrency` tasks of a lane run at once, so a request for one
 * model never waits behind another model's; up to `queueSize` requests wait over all lanes, the rest are refused at
 * once with ENGINE_BUSY and a Retry-After estimated from recent task durations. Background work (job windows)
 * always queues, behind any waiting request of its lane, so a running job delays a sync request by at most the
 * window in progress.
 */
export class EngineDispatcher {
  private readonly lanes = new Map<string, Lane>();
  private averageTaskSeconds = 10;

  constructor(
    /** Tasks at once per lane (per model). */
    readonly concurrency: number,
    readonly queueSize: number,
  ) {}

  get runningCount(): number {
    let sum = 0;
    for (const lane of this.lanes.values()) sum += lane.running;
    return sum;
  }

  get queuedCount(): number {
    let sum = 0;
    for (const lane of this.lanes.values()) sum += lane.waiting.length;
    return sum;
  }

  /** Every slot of the lane is taken, or something waits for one. */
  laneBusy(laneKey: string = DEFAULT_LANE): boolean {
    const lane = this.lanes.get(laneKey);
    return lane !== undefined && (lane.running >= this.concurrency || lane.waiting.length > 0);
  }

  private lane(key: string): Lane {
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { key, running: 0, waiting: [] };
      this.lanes.set(key, lane);
    }
    return lane;
  }

  /**
   * `background`: job work. It queues even when the queue is full (the worker pool already bounds it;
   * refusing it would only turn into a retry), and yields to waiting requests.
   */
  async run<T>(task: () => Promise<T>, signal: AbortSignal, options: { background?: boolean; lane?: string } = {}): Promise<T> {
    if (signal.aborted) throw signal.reason;
    const lane = this.lane(options.lane ?? DEFAULT_LANE);
    // A waiter is handed its slot by release(), so no newcomer can take it in between.
    if (lane.running < this.concurrency) lane.running += 1;
    else await this.wait(lane, signal, options.background ?? false);
    const startedAt = performance.now();
    try {
      return await task();
    } finally {
      this.learn((performance.now() - startedAt) / 1000);
      this.release(lane);
    }
  }

  /**
   * The refusal a new request would meet right now (every slot running and the queue full), or null. Lets a route
   * refuse before it reads a whole upload and decodes it only to be turned away.
   */
  refusalNow(laneKey: string = DEFAULT_LANE): DomainError | null {
    if ((this.lanes.get(laneKey)?.running ?? 0) < this.concurrency) return null;
    let waitingRequests = 0;
    for (const lane of this.lanes.values()) waitingRequests += lane.waiting.filter((waiter) => !waiter.background).length;
    if (waitingRequests < this.queueSize) return null;
    return new DomainError(
      'ENGINE_BUSY',
      `The engine is busy (${this.runningCount} running, ${this.queuedCount} waiting); retry later.`,
      {},
      this.retryAfterSeconds(),
    );
  }

  /**
   * The refusal a request for a model not yet known would meet right now: null unless the queue is full and no lane
   * in use has a free slot. For routes that refuse before the form (and so the model) is read. A request for a model
   * whose lane was never used since boot may be refused here although its lane is free; that happens only while every
   * used lane is full and the queue too, and its Retry-After is short.
   */
  refusalForAnyModelNow(): DomainError | null {
    if (this.lanes.size === 0) return null;
    for (const lane of this.lanes.values()) if (lane.running < this.concurrency) return null;
    return this.refusalNow([...this.lanes.keys()][0]);
  }

  private wait(lane: Lane, signal: AbortSignal, background: boolean): Promise<void> {
    const refusal = background ? null : this.refusalNow(lane.key);
    if (refusal) throw refusal;
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        background,
        signal,
        start: resolve,
        onAbort: () => {
          lane.waiting.splice(lane.waiting.indexOf(waiter), 1);
          reject(signal.reason);
        },
      };
      signal.addEventListener('abort', waiter.onAbort, { once: true });
      lane.waiting.push(waiter);
    });
  }

  private release(lane: Lane): void {
    const request = lane.waiting.findIndex((waiter) => !waiter.background);
    const [next] = lane.waiting.splice(request >= 0 ? request : 0, 1);
    if (!next) {
      lane.running -= 1;
      return;
    }
    next.signal.removeEventListener('abort', next.onAbort);
    next.start();
  }

  private learn(seconds: number): void {
    this.averageTaskSeconds = this.averageTaskSeconds * 0.8 + seconds * 0.2;
  }

  /** Time until a place is likely to free up in the queue. */
  retryAfterSeconds(): number {
    return Math.max(1, Math.ceil((this.averageTaskSeconds * (this.queuedCount + 1)) / this.concurrency));
  }
}
