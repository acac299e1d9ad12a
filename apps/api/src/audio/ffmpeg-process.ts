import { type ChildProcess, spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import { DomainError } from '../common/domain-error';
import { FfmpegLog } from './ffmpeg-log';

export interface FfmpegRun {
  readonly exitCode: number | null;
  readonly log: FfmpegLog;
}

/**
 * One ffmpeg decode process: its stderr read into an FfmpegLog (bounded), killed on abort or past its deadline.
 * `done` settles once, when the process has exited: with the run, or with the abort reason, or UNDECODABLE_AUDIO
 * when the deadline killed it (a decoder trap, not audio). The deadline may be armed at start (a file decode) or
 * once the input is complete (a decode fed while the upload arrives).
 */
export class FfmpegProcess {
  readonly done: Promise<FfmpegRun>;
  private readonly child: ChildProcess;
  private deadline: NodeJS.Timeout | undefined;
  private overranMs: number | undefined;
  private exited = false;

  constructor(ffmpegPath: string, args: readonly string[], options: { readonly stdin: boolean; readonly signal?: AbortSignal }) {
    const { signal } = options;
    this.child = spawn(ffmpegPath, args, { stdio: [options.stdin ? 'pipe' : 'ignore', 'ignore', 'pipe'] });
    const log = new FfmpegLog();
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => log.write(chunk));
    const onAbort = () => this.kill();
    signal?.addEventListener('abort', onAbort, { once: true });
    this.done = new Promise((resolve, reject) => {
      const settle = () => {
        this.exited = true;
        clearTimeout(this.deadline);
        signal?.removeEventListener('abort', onAbort);
        log.end();
      };
      this.child.on('error', (error) => {
        settle();
        reject(new DomainError('INTERNAL_ERROR', `ffmpeg could not be started: ${error.message}`));
      });
      this.child.on('close', (exitCode) => {
        settle();
        if (signal?.aborted) reject(signal.reason);
        else if (this.overranMs !== undefined) reject(new DomainError('UNDECODABLE_AUDIO', `Decoding this file took longer than ${Math.round(this.overranMs / 1000)} s; it is not decodable audio.`));
        else resolve({ exitCode, log });
      });
    });
  }

  /** ffmpeg's input when it was started with `stdin: true`. */
  get stdin(): Writable | null {
    return this.child.stdin;
  }

  get hasExited(): boolean {
    return this.exited;
  }

  /** Kill the process `ms` from now unless it has exited; `done` then rejects with UNDECODABLE_AUDIO. */
  armDeadline(ms: number): void {
    if (this.exited) return;
    clearTimeout(this.deadline);
    this.deadline = setTimeout(() => {
      this.overranMs = ms;
      this.kill();
    }, ms);
  }

  /** Cancel the deadline (the decode waits for input that has not arrived yet, not on ffmpeg). */
  disarmDeadline(): void {
    clearTimeout(this.deadline);
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}
