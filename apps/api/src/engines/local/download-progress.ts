import type { EngineLogger } from './engine-logger';

const MiB = 1024 * 1024;

/**
 * Download progress: a redrawn bar on an interactive terminal, otherwise a log line every 10 % (or every
 * 15 s when the size is unknown) so container logs show movement without being flooded.
 */
export class DownloadProgress {
  private readonly started = Date.now();
  private lastLogged = 0;
  private lastDraw = 0;
  private received = 0;

  constructor(
    private readonly name: string,
    private total: number,
    private readonly logger: EngineLogger,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  /** `total`: the length the server announced, which replaces the estimate given at construction. */
  update(received: number, total?: number): void {
    this.received = received;
    if (total && total > 0) this.total = total;
    const now = Date.now();
    if (this.stream.isTTY) {
      if (now - this.lastDraw >= 100) {
        this.lastDraw = now;
        this.stream.write(`\r${this.line()}`);
      }
      return;
    }
    const step = this.total > 0 ? Math.floor((received / this.total) * 10) : Math.floor((now - this.started) / 15_000);
    if (step > this.lastLogged) {
      this.lastLogged = step;
      this.logger.log(this.line());
    }
  }

  done(): void {
    if (this.stream.isTTY) this.stream.write(`\r${this.line()}\n`);
  }

  private line(): string {
    const seconds = Math.max(0.001, (Date.now() - this.started) / 1000);
    const rate = `${(this.received / MiB / seconds).toFixed(1)} MiB/s`;
    const got = `${(this.received / MiB).toFixed(1)}`;
    if (this.total <= 0) return `downloading ${this.name}: ${got} MiB, ${rate}`;
    const fraction = Math.min(1, this.received / this.total);
    const width = 30;
    const filled = Math.round(fraction * width);
    const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
    return `downloading ${this.name} [${bar}] ${(fraction * 100).toFixed(0)}% ${got}/${(this.total / MiB).toFixed(1)} MiB, ${rate}`;
  }
}
