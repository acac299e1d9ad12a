import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { workspaceRoot } from '@speech/test-support';
import { parseApiKey } from '../../src/auth/api-key';

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npm run apikey -- …` exactly as an operator types it: a child process with only the given environment. */
export function runApiKeyCli(args: readonly string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'apikey', '--', ...args], {
      cwd: workspaceRoot(),
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? tmpdir(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Creates a key with the CLI and answers it with its id; fails the test with the CLI's own words otherwise. */
export async function createKeyWithCli(env: Record<string, string>, name: string, scopes: readonly string[]): Promise<{ key: string; keyId: string }> {
  const run = await runApiKeyCli(['create', '--name', name, ...scopes.flatMap((scope) => ['--scope', scope])], env);
  const key = run.stdout.trim();
  const parsed = parseApiKey(key);
  if (run.code !== 0 || !parsed) throw new Error(`npm run apikey -- create failed (${run.code}): ${run.stderr}`);
  return { key, keyId: parsed.keyId };
}
