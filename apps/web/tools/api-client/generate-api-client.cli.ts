/**
 * Writes the console's generated API client from the API's OpenAPI document.
 *   node scripts/run-ts.mjs apps/web/tools/api-client/generate-api-client.cli.ts            start the built API, read its document
 *   … --url http://localhost:8080/api/docs/openapi.json                                      read a running API instead
 *   … --check                                                                                exit 1 when the committed document or client no longer
 *                                                                                             matches (anything but reworded descriptions; npm test runs it)
 * `npx nx run web:generate-api-client` builds the API first and runs the first form.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { apiClientDrift } from './api-client-drift';
import { renderApiClient, type OpenApiDocument } from './render-api-client';

const root = path.resolve(__dirname, '../../../..');
const outDir = path.join(root, 'apps/web/src/app/core/api/generated');
const files = { spec: path.join(outDir, 'openapi.json'), client: path.join(outDir, 'api.generated.ts') };

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const url = argValue('--url');
  const document = url ? await fetchDocument(url) : await documentFromBuiltApi();
  const outputs = {
    spec: `${JSON.stringify(document, null, 2)}\n`,
    client: renderApiClient(document),
  };
  if (process.argv.includes('--check')) {
    const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : undefined);
    const drift = apiClientDrift({ spec: read(files.spec), client: read(files.client) }, document);
    if (drift.stale.length > 0) {
      process.stderr.write(
        `stale: the committed API client no longer matches the API's document (${drift.stale.join(', ')})\n` +
          'run npx nx run web:generate-api-client and commit apps/web/src/app/core/api/generated/\n',
      );
      process.exit(1);
    }
    process.stderr.write(`the generated API client is up to date${drift.reworded ? ' (descriptions changed: regenerate when convenient)' : ''}\n`);
    return;
  }
  writeFileSync(files.spec, outputs.spec);
  writeFileSync(files.client, outputs.client);
  process.stderr.write(`wrote ${path.relative(root, files.client)} (${Object.keys(document.paths).length} paths)\n`);
}

async function fetchDocument(url: string): Promise<OpenApiDocument> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return (await response.json()) as OpenApiDocument;
}

/** Starts dist/apps/api/main.js on a free port with no model (the document needs none) and reads its document. */
async function documentFromBuiltApi(): Promise<OpenApiDocument> {
  const main = path.join(root, 'dist/apps/api/main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run npx nx build api`);
  const port = await freePort();
  const tmp = mkdtempSync(path.join(tmpdir(), 'openapi-'));
  const child = spawn(process.execPath, [main], {
    cwd: root,
    stdio: 'ignore',
    env: {
      PATH: process.env['PATH'] ?? '',
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      TMP_DIR: tmp,
      WEB_DIST: path.join(tmp, 'none'),
      WHISPER_MODEL: path.join(tmp, 'no-model.bin'),
      WHISPER_AUTO_DOWNLOAD: 'false',
    },
  });
  try {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode}`);
      try {
        return await fetchDocument(`http://127.0.0.1:${port}/api/docs/openapi.json`);
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    throw new Error('the API did not serve its OpenAPI document within 60 s');
  } finally {
    child.kill('SIGTERM');
    rmSync(tmp, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
