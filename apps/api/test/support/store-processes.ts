import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort, workspaceRoot } from '@speech/test-support';

/** A local store stand-in run as a real process on a fixed port and a directory, so it can vanish and come back with its data. */
export interface StoreProcess {
  readonly endpoint: string;
  /** (Re)starts the process on the same port and directory. */
  start(): Promise<void>;
  /** Kills it (SIGKILL: the store vanishes, as a network partition or a crash looks to the API). */
  stop(): Promise<void>;
}

/** dynalite (DynamoDB's wire protocol) on LevelDB files under `directory`. */
export function dynaliteProcess(directory: string): Promise<StoreProcess> {
  return storeProcess(directory, (port) => [
    join(workspaceRoot(), 'node_modules/dynalite/cli.js'),
    '--host', '127.0.0.1', '--port', String(port), '--path', directory,
    '--createTableMs', '0', '--deleteTableMs', '0', '--updateTableMs', '0',
  ]);
}

/** s3rver (S3's REST protocol) on files under `directory`. */
export function s3rverProcess(directory: string): Promise<StoreProcess> {
  return storeProcess(directory, (port) => [
    join(workspaceRoot(), 'node_modules/s3rver/bin/s3rver.js'),
    '--directory', directory, '--address', '127.0.0.1', '--port', String(port), '--silent',
  ]);
}

async function storeProcess(directory: string, args: (port: number) => string[]): Promise<StoreProcess> {
  mkdirSync(directory, { recursive: true });
  const port = await freePort();
  let child: ChildProcess | undefined;
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  const store: StoreProcess = {
    endpoint: `http://127.0.0.1:${port}`,
    start: async () => {
      await stop();
      const started = spawn(process.execPath, args(port), { stdio: ['ignore', 'ignore', 'pipe'] });
      child = started;
      let stderr = '';
      started.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
      const deadline = Date.now() + 20_000;
      while (!(await accepts(port))) {
        if (started.exitCode !== null) throw new Error(`${args(port)[0]} exited with ${started.exitCode}: ${stderr}`);
        if (Date.now() > deadline) throw new Error(`${args(port)[0]} did not listen on ${port}: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    stop,
  };
  await store.start();
  return store;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
