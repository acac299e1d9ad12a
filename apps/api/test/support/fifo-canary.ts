import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';

/**
 * A named pipe that proves whether any process opened it for reading — the "canary" a smuggled playlist or
 * reference points at. A helper process blocks opening it for writing (that open completes only when some process
 * opens it for reading), reports each completed open on its stdout *before* it writes a byte — so the reader cannot
 * get past the open until the report is out — then writes, closes and waits again. The test never reads the pipe
 * itself: `opensSoFar()` stops the helper and counts its reports. No timing is involved, and the blocked open
 * lives in the helper, not in the test's thread pool.
 */
export class FifoCanary {
  private reports = '';
  private stopped: Promise<unknown> | undefined;

  private constructor(
    readonly path: string,
    private readonly writer: ReturnType<typeof spawn>,
  ) {
    writer.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.reports += chunk));
  }

  static create(path: string): FifoCanary {
    execFileSync('mkfifo', ['-m', '0666', path]);
    const script = `
      const fs = require('node:fs');
      for (;;) {
        const fd = fs.openSync(process.argv[1], 'w'); // blocks until a reader opens the pipe
        fs.writeSync(1, 'opened\\n');
        try { fs.writeSync(fd, 'canary\\n'); } catch {} // the reader may already be gone (EPIPE)
        fs.closeSync(fd);
      }`;
    const writer = spawn(process.execPath, ['-e', script, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    return new FifoCanary(path, writer);
  }

  /** Stops watching and says how many times a process opened the pipe for reading. Call it once, at the end. */
  async opensSoFar(): Promise<number> {
    if (!this.stopped) {
      this.stopped = once(this.writer.stdout!, 'end'); // every report the helper wrote has then arrived
      this.writer.kill('SIGKILL');
    }
    await this.stopped;
    return this.reports.split('\n').filter((line) => line === 'opened').length;
  }

  async close(): Promise<void> {
    await this.opensSoFar();
  }
}
