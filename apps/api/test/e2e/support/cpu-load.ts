import { type ChildProcess, spawn } from 'node:child_process';

/**
 * Busy-loop child processes, so a test sees the scheduling delays of a loaded CI machine: the client then reads its
 * socket late, which is when a refusal cut by a TCP RST turns into a connection error.
 */
export class CpuLoad {
  private readonly children: ChildProcess[] = [];

  constructor(processes: number) {
    for (let index = 0; index < processes; index += 1) {
      this.children.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
    }
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
  }
}
