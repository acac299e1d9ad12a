import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SHORT_SENTENCE, speechFixture, workspaceRoot } from '@speech/test-support';
import type { Browser, Page } from 'playwright-core';
import { type RunningApi, startApiWithConsole } from './support/api-process';
import { dropFiles, launchChromium, VIEWPORTS } from './support/browser';
import { nav } from './support/console-helpers';

jest.setTimeout(240_000);

/** The console against an API that requires keys, with a key made by the real `npm run apikey` on the API's store. */
describe('web console with API keys required (Chromium, built API)', () => {
  const short = speechFixture(SHORT_SENTENCE);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'web-e2e-keys-'));
  let api: RunningApi;
  let browser: Browser;
  let page: Page;
  let key: string;

  beforeAll(async () => {
    const created = spawnSync('npm', ['run', '--silent', 'apikey', '--', 'create', '--name', 'console', '--scope', 'transcribe', '--scope', 'jobs:read'], {
      cwd: workspaceRoot(),
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? tmpdir(), DATA_DIR: dataDir },
      encoding: 'utf8',
    });
    if (created.status !== 0) throw new Error(`npm run apikey failed: ${created.stderr}`);
    key = created.stdout.trim();
    [api, browser] = await Promise.all([startApiWithConsole({ API_KEYS_REQUIRED: 'true', DATA_DIR: dataDir }), launchChromium()]);
    const context = await browser.newContext({ viewport: VIEWPORTS.desktop, baseURL: api.url });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const dropShort = () => dropFiles(page, '[data-testid="drop-zone"]', [{ name: 'short-sentence.mp3', type: 'audio/mpeg', bytes: readFileSync(short.mp3) }]);
  const item = () => page.locator('[data-testid="upload-item"][data-name="short-sentence.mp3"]');

  it('shows the UNAUTHORIZED message with a link to the settings when no key is stored', async () => {
    await page.goto('/');
    await dropShort();
    const error = item().getByTestId('error');
    await error.waitFor();
    expect(await error.textContent()).toContain('This API requires an API key');
    await error.getByRole('link', { name: 'Enter an API key in Settings' }).click();
    await page.getByTestId('api-key').waitFor();
    expect(new URL(page.url()).pathname).toBe('/settings');
  });

  it('transcribes once the key is entered in the settings', async () => {
    await page.getByTestId('api-key').fill(key);
    await page.getByTestId('save-key').click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await nav(page, 'Transcribe').click();
    const finished = page.locator('[data-testid="upload-item"][data-name="short-sentence.mp3"][data-phase="done"]');
    // The refused upload stays listed as failed; the same file again now goes through.
    await dropShort();
    await finished.waitFor({ timeout: 120_000 });
    expect(await finished.getByTestId('phase').textContent()).toContain('Done');
    // The key stays in this browser and never appears in the page.
    expect(await page.content()).not.toContain(key);
  });
});
