import { DomainError } from '../../common/domain-error';

/** What a download has done so far, as the progress events and GET /v1/models report it. */
export interface DownloadProgressState {
  readonly id: string;
  readonly receivedBytes: number;
  /** Null until the server has said how long the file is. */
  readonly totalBytes: number | null;
}

export interface DownloadResult {
  readonly id: string;
  readonly file: string;
  readonly sizeBytes: number;
  readonly sha256: string;
}

export type DownloadEvent =
  | ({ readonly type: 'progress' } & DownloadProgressState)
  | ({ readonly type: 'completed' } & DownloadResult)
  | { readonly type: 'failed'; readonly id: string; readonly error: DomainError };

type Listener = (event: DownloadEvent) => void;

/**
 * One model's download as its watchers see it: the latest progress, then exactly one `completed` or `failed`. A
 * watcher that attaches late (a second POST) first gets the current state, then the same events as everyone else.
 */
export class ModelDownload {
  private readonly listeners = new Set<Listener>();
  private state: DownloadProgressState;
  private outcome?: DownloadEvent;
  readonly done: Promise<DownloadResult>;
  private settle!: { resolve: (result: DownloadResult) => void; reject: (error: DomainError) => void };

  constructor(readonly id: string) {
    this.state = { id, receivedBytes: 0, totalBytes: null };
    this.done = new Promise<DownloadResult>((resolve, reject) => (this.settle = { resolve, reject }));
    this.done.catch(() => undefined); // a download nobody awaits must not become an unhandled rejection
  }

  get progress(): DownloadProgressState {
    return this.state;
  }

  get finished(): boolean {
    return this.outcome !== undefined;
  }

  /** Calls `listener` with the current state at once, then with every later event; returns the unsubscribe. */
  watch(listener: Listener): () => void {
    if (this.outcome) {
      listener(this.outcome);
      return () => undefined;
    }
    listener({ type: 'progress', ...this.state });
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  report(receivedBytes: number, totalBytes: number | null): void {
    this.state = { id: this.id, receivedBytes, totalBytes };
    this.emit({ type: 'progress', ...this.state });
  }

  complete(result: DownloadResult): void {
    this.state = { id: this.id, receivedBytes: result.sizeBytes, totalBytes: result.sizeBytes };
    this.finish({ type: 'completed', ...result });
    this.settle.resolve(result);
  }

  fail(error: DomainError): void {
    this.finish({ type: 'failed', id: this.id, error });
    this.settle.reject(error);
  }

  private finish(event: DownloadEvent): void {
    if (this.outcome) return;
    this.outcome = event;
    this.emit(event);
    this.listeners.clear();
  }

  private emit(event: DownloadEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  /** An already-installed model: a download that has completed before anyone watched. */
  static completed(result: DownloadResult): ModelDownload {
    const download = new ModelDownload(result.id);
    download.complete(result);
    return download;
  }
}

/** The failure a watcher sees when something other than a DomainError broke the download. */
export function downloadFailure(id: string, error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  return new DomainError('MODEL_DOWNLOAD_FAILED', `Downloading model '${id}' failed: ${(error as Error).message}`, { model: id });
}
