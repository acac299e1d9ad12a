import { API_KEY_SCOPES, type ApiKeyScope, isApiKeyScope } from '@speech/contracts';
import type { ApiKeyRecord, ApiKeyStore } from '../storage/api-key-store.port';
import { generateApiKey, isKeyId } from './api-key';

/** Exit codes (sysexits.h): usage mistakes and configuration problems are told apart from failures. */
export const EXIT = { ok: 0, failed: 1, usage: 64, config: 78 } as const;

export const USAGE = `usage:
  npm run apikey -- create --name <name> --scope <scope> [--scope <scope> ...]
  npm run apikey -- list [--json]
  npm run apikey -- revoke <keyId>
scopes: ${API_KEY_SCOPES.join(', ')} (admin implies the others and sees every owner's jobs and /metrics)
store: the API's own variables (JOB_STORE, DATA_DIR, JOBS_TABLE, AWS_REGION, AWS_ENDPOINT_URL_DYNAMODB)`;

export interface Output {
  /** What scripts capture: the new key, the list. */
  out(text: string): void;
  /** Everything for the human. */
  err(text: string): void;
}

/** A mistake in the command line: the message, then the usage, exit 64. */
export class UsageError extends Error {}

/** Runs one command against an initialised store; returns the exit code. */
export async function runApiKeyCommand(args: readonly string[], store: ApiKeyStore, io: Output, now = Date.now()): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case 'create':
      return create(rest, store, io, now);
    case 'list':
      return list(rest, store, io);
    case 'revoke':
      return revoke(rest, store, io, now);
    default:
      throw new UsageError(command ? `Unknown command "${command}".` : 'Name a command.');
  }
}

/** Checks the command line before anything touches the store (so a typo never needs credentials). */
export function checkArguments(args: readonly string[]): void {
  const [command, ...rest] = args;
  if (command === 'create') parseCreate(rest);
  else if (command === 'list') parseList(rest);
  else if (command === 'revoke') parseRevoke(rest);
  else throw new UsageError(command ? `Unknown command "${command}".` : 'Name a command.');
}

async function create(args: readonly string[], store: ApiKeyStore, io: Output, now: number): Promise<number> {
  const { name, scopes } = parseCreate(args);
  const generated = generateApiKey();
  const record: ApiKeyRecord = { keyId: generated.keyId, name, scopes, hash: generated.hash, createdAt: now, revokedAt: null, lastUsedAt: null };
  await store.insert(record);
  io.out(generated.key);
  io.err(`Created API key ${record.keyId} "${name}" with scopes ${scopes.join(', ')}.`);
  io.err('The key is shown only this once: store it now (only a hash of it is kept).');
  io.err('Send it as "Authorization: Bearer <key>" or "x-api-key: <key>".');
  return EXIT.ok;
}

async function list(args: readonly string[], store: ApiKeyStore, io: Output): Promise<number> {
  const { json } = parseList(args);
  // Never the hash: a listing is for people and scripts, and the hash is of no use to either.
  const keys = (await store.list()).map(({ keyId, name, scopes, createdAt, revokedAt, lastUsedAt }) => ({ keyId, name, scopes, createdAt, revokedAt, lastUsedAt }));
  if (json) {
    io.out(JSON.stringify(keys.map((key) => ({ ...key, createdAt: iso(key.createdAt), revokedAt: iso(key.revokedAt), lastUsedAt: iso(key.lastUsedAt) })), null, 2));
    return EXIT.ok;
  }
  if (keys.length === 0) {
    io.err('No API keys yet: create one with npm run apikey -- create --name <name> --scope transcribe --scope jobs:read');
    return EXIT.ok;
  }
  const rows = keys.map((key) => [
    key.keyId,
    key.revokedAt === null ? 'active' : `revoked ${iso(key.revokedAt)}`,
    key.scopes.join(','),
    iso(key.createdAt) ?? '',
    iso(key.lastUsedAt) ?? 'never',
    key.name,
  ]);
  const header = ['KEY ID', 'STATUS', 'SCOPES', 'CREATED', 'LAST USED (approx.)', 'NAME'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] as string).length)));
  for (const row of [header, ...rows]) io.out(row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] as number))).join('  '));
  return EXIT.ok;
}

async function revoke(args: readonly string[], store: ApiKeyStore, io: Output, now: number): Promise<number> {
  const { keyId } = parseRevoke(args);
  const before = await store.get(keyId);
  if (!before) {
    io.err(`No API key has the id "${keyId}"; npm run apikey -- list shows them.`);
    return EXIT.failed;
  }
  if (before.revokedAt !== null) {
    io.err(`API key ${keyId} "${before.name}" was already revoked at ${iso(before.revokedAt)}.`);
    return EXIT.ok;
  }
  await store.revoke(keyId, now);
  io.err(`Revoked API key ${keyId} "${before.name}". Running API instances refuse it within API_KEY_CACHE_SECONDS (default 30 s).`);
  return EXIT.ok;
}

function parseCreate(args: readonly string[]): { name: string; scopes: ApiKeyScope[] } {
  let name: string | undefined;
  const scopes: ApiKeyScope[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = inline ?? args[i + 1];
    if (flag !== '--name' && flag !== '--scope') throw new UsageError(`create does not take "${arg}".`);
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`${flag} needs a value.`);
    if (inline === undefined) i += 1;
    if (flag === '--name') {
      name = value.trim();
    } else if (!isApiKeyScope(value)) {
      throw new UsageError(`"${value}" is not a scope; scopes are ${API_KEY_SCOPES.join(', ')}.`);
    } else if (!scopes.includes(value)) {
      scopes.push(value);
    }
  }
  if (!name) throw new UsageError('create needs --name <name> (what the key is for, e.g. "ci" or "acme-prod").');
  if (name.length > 100 || !/^[^\p{Cc}]+$/u.test(name)) throw new UsageError('--name must be 1–100 printable characters.');
  if (scopes.length === 0) throw new UsageError(`create needs at least one --scope (${API_KEY_SCOPES.join(', ')}).`);
  return { name, scopes };
}

function parseList(args: readonly string[]): { json: boolean } {
  for (const arg of args) if (arg !== '--json') throw new UsageError(`list does not take "${arg}".`);
  return { json: args.includes('--json') };
}

function parseRevoke(args: readonly string[]): { keyId: string } {
  if (args.length !== 1) throw new UsageError('revoke takes exactly one key id.');
  const text = args[0] as string;
  // A whole key pasted by mistake: take its id, and say nothing of the secret.
  const keyId = /^spk_([A-Za-z0-9]{12})_/.exec(text)?.[1] ?? text;
  if (!isKeyId(keyId)) throw new UsageError(`"${keyId.slice(0, 40)}" is not a key id (12 letters and digits, as npm run apikey -- list shows).`);
  return { keyId };
}

function iso(epochMs: number | null): string | null {
  return epochMs === null ? null : new Date(epochMs).toISOString();
}
