import { readFileSync } from 'node:fs';
import { speechFixture } from '@speech/test-support';
import { type ApiProcess, startApi } from '../api-process';
import { childProcesses } from '../process-table';
import type { SeedFiles } from './audio-mutations';

/** Short clean files to mutate: "Hi there." is under a second, so a case that decodes still costs the engine little. */
export function fuzzSeedFiles(): SeedFiles {
  const clip = speechFixture('Hi there.', { speed: 220 });
  if (clip.durationSeconds > 1) throw new Error(`the fuzz seed clip is ${clip.durationSeconds} s; keep it ≤ 1 s`);
  return { wav: readFileSync(clip.wav), mp3: readFileSync(clip.mp3), flac: readFileSync(clip.flac), ogg: readFileSync(clip.ogg), m4a: readFileSync(clip.m4a), webm: readFileSync(clip.webm) };
}

/**
 * The API as the fuzzers meet it: a low duration cap (a mutated header that claims hours is refused after 3 s of
 * decoding), a 1 MiB upload cap, one engine thread and a queue of 1, so most decodable cases end as ENGINE_BUSY after
 * the real decode instead of waiting for the engine.
 */
export function startFuzzApi(env: Record<string, string> = {}): Promise<ApiProcess> {
  return startApi({
    MAX_AUDIO_SECONDS: '2',
    MAX_FILE_SIZE: String(1024 * 1024),
    ENGINE_QUEUE_SIZE: '1',
    WHISPER_THREADS: '1',
    RATE_LIMIT_PER_IP: '0',
    RATE_LIMIT_PER_KEY: '0',
    LOG_LEVEL: 'warn',
    ...env,
  });
}

export interface AfterFuzz {
  readonly pid: number | undefined;
  readonly exited: boolean;
  readonly healthy: boolean;
  readonly leftoverTempEntries: string[];
  /** Children that exited and were never reaped. */
  readonly zombies: string[];
  /** ffmpeg children still running once every answer is in. */
  readonly ffmpegChildren: string[];
  readonly errorLogLines: string[];
}

/** The state of the API once the run is over; waits (up to 10 s) for the last folders and ffmpeg runs to go. */
export async function inspectAfterFuzz(api: ApiProcess): Promise<AfterFuzz> {
  const pid = api.child.pid ?? -1;
  const deadline = Date.now() + 10_000;
  const ffmpeg = () => childProcesses(pid).filter((child) => child.command.startsWith('ffmpeg'));
  while (Date.now() < deadline && (api.leftoverTempEntries().length > 0 || ffmpeg().length > 0)) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const healthy = await fetch(`${api.url}/health`).then((response) => response.status === 200, () => false);
  return {
    pid: api.child.pid,
    exited: api.child.exitCode !== null || api.child.signalCode !== null,
    healthy,
    leftoverTempEntries: api.leftoverTempEntries(),
    zombies: childProcesses(pid).filter((child) => child.state === 'Z').map((child) => `${child.pid} ${child.command}`),
    ffmpegChildren: ffmpeg().map((child) => `${child.pid} ${child.state}`),
    errorLogLines: api.output.filter((line) => line.includes('"level":"error"')),
  };
}
