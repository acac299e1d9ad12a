/**
 * Creates, lists and revokes API keys in the store the API uses (same variables: JOB_STORE, DATA_DIR, JOBS_TABLE,
 * AWS_REGION, AWS_ENDPOINT_URL_DYNAMODB). Only the storage variables are validated, so an operator can run it from a
 * laptop against the DynamoDB table.
 *   npm run apikey -- create --name ci --scope transcribe --scope jobs:read     the key alone on stdout, once
 *   npm run apikey -- list [--json]
 *   npm run apikey -- revoke <keyId>
 * (npm script: node scripts/run-ts.mjs apps/api/src/auth/api-key.cli.ts)
 */
import { loadKeyStoreSection } from '../config/storage-config';
import type { JobStoreSection } from '../config/storage-config';
import type { ApiKeyStore } from '../storage/api-key-store.port';
import { DynamoDbApiKeyStore } from '../storage/dynamodb/dynamodb-api-key-store';
import { SqliteApiKeyStore } from '../storage/sqlite/sqlite-api-key-store';
import { checkArguments, EXIT, type Output, runApiKeyCommand, USAGE, UsageError } from './api-key-commands';

const io: Output = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

function openStore(section: JobStoreSection): { store: ApiKeyStore; where: string } {
  if (section.kind === 'sqlite') return { store: new SqliteApiKeyStore(section.sqlite.path), where: `sqlite ${section.sqlite.path}` };
  const { table, region, endpoint } = section.dynamodb;
  return {
    // Only a local stand-in may get a table made for it; on AWS the infrastructure owns the table.
    store: new DynamoDbApiKeyStore({ ...section.dynamodb, createTable: endpoint !== undefined }),
    where: `dynamodb table ${table} (${endpoint ?? region})`,
  };
}

async function main(args: readonly string[]): Promise<number> {
  try {
    checkArguments(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`${error.message}\n${USAGE}`);
    return EXIT.usage;
  }
  let section: JobStoreSection;
  try {
    section = loadKeyStoreSection();
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return EXIT.config;
  }
  const { store, where } = openStore(section);
  io.err(`key store: ${where}`);
  try {
    await store.init();
    return await runApiKeyCommand(args, store, io);
  } catch (error) {
    const name = (error as { name?: string }).name;
    io.err(name === 'ResourceNotFoundException' ? `The DynamoDB table does not exist: check JOBS_TABLE and AWS_REGION.` : `Failed: ${(error as Error).message ?? String(error)}`);
    return EXIT.failed;
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(EXIT.failed);
  },
);
