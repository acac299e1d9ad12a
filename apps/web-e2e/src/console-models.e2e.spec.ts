import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { realModel, realModels } from '@speech/test-support';
import type { Browser, Page } from 'playwright-core';
import { type RunningApi, startApiWithConsole } from './support/api-process';
import { launchChromium, VIEWPORTS } from './support/browser';
import { nav } from './support/console-helpers';
import { SlowModelMirror } from './support/slow-model-mirror';

jest.setTimeout(300_000);

/** Reads the progress bar's aria-valuenow every 50 ms until the bar goes away; returns the values seen. */
async function watchProgress(page: Page, row: string, timeoutMs = 120_000): Promise<number[]> {
  const bar = page.locator(`${row} [role="progressbar"]`);
  await bar.waitFor({ timeout: 10_000 });
  const seen: number[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await bar.getAttribute('aria-valuenow', { timeout: 1000 }).catch(() => undefined);
    if (value === undefined) break; // the bar is gone: the download ended
    if (value !== null && Number(value) !== seen.at(-1)) seen.push(Number(value));
    await page.waitForTimeout(50);
  }
  return seen;
}

/**
 * The Models page against the built API: the real tiny.en weights downloaded from a local mirror that serves them
 * slowly (progress bar observed moving, checksum pinned with MODEL_DOWNLOAD_SHA1), then installed, deleted, and
 * downloaded again with a page reload in the middle (the page re-attaches to the running download).
 */
describe('web console: Models page (Chromium, built API, real download)', () => {
  const weights = readFileSync(realModel(realModels(), 'tiny.en', 'ggml'));
  const modelsDir = mkdtempSync(path.join(tmpdir(), 'web-e2e-models-'));
  const installed = path.join(modelsDir, 'ggml-tiny.en.bin');
  // ~1,200 pieces of 64 KiB at 4 ms each: about 5 s for the 75 MB file, long enough to watch.
  const mirror = new SlowModelMirror(4);
  const row = '[data-testid="model-row"][data-model="tiny.en"]';
  let api: RunningApi;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mirror.serve('tiny.en', weights);
    const mirrorUrl = await mirror.start();
    [api, browser] = await Promise.all([
      startApiWithConsole({
        // The default stays the generated model; tiny.en is served but not installed yet.
        WHISPER_MODELS: 'tiny.en',
        WHISPER_MODELS_DIR: modelsDir,
        WHISPER_DOWNLOAD_BASE_URL: mirrorUrl,
        // Our tiny.en is a conversion, not upstream's file: pin its own SHA-1.
        MODEL_DOWNLOAD_SHA1: `tiny.en=${createHash('sha1').update(weights).digest('hex')}`,
      }),
      launchChromium(),
    ]);
    const context = await browser.newContext({ viewport: VIEWPORTS.desktop, baseURL: api.url });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    await mirror.stop();
    rmSync(modelsDir, { recursive: true, force: true });
  });

  it('lists tiny.en as downloadable, with its capabilities', async () => {
    await page.goto('/');
    await nav(page, 'Models').click();
    await page.locator(row).waitFor();
    const cells = await page.locator(`${row} th, ${row} td`).allTextContents();
    expect(cells.map((cell) => cell.replace(/\s+/g, ' ').trim())).toEqual([
      'tiny.en',
      'English only',
      'No',
      expect.stringMatching(/MB$/),
      expect.any(String),
      'local',
      'Not installed',
      'Download',
    ]);
  });

  it('downloads with a progress bar that moves, then shows the model installed', async () => {
    await page.locator(row).getByRole('button', { name: 'Download tiny.en' }).click();
    const seen = await watchProgress(page, row);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.some((value) => value > 0 && value < 100)).toBe(true);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen); // never goes back
    await page.locator(`${row}[data-installed="true"]`).waitFor({ timeout: 30_000 });
    expect(await page.locator(`${row} [data-testid="model-state"]`).textContent()).toContain('Installed');
    expect(statSync(installed).size).toBe(weights.length);
    expect(createHash('sha1').update(readFileSync(installed)).digest('hex')).toBe(createHash('sha1').update(weights).digest('hex'));
  });

  it('deletes the model after a second press', async () => {
    const remove = page.locator(row).getByRole('button', { name: 'Delete tiny.en' });
    await remove.click();
    await page.locator(row).getByRole('button', { name: 'Really delete? tiny.en' }).click();
    await page.locator(`${row}[data-installed="false"]`).waitFor({ timeout: 30_000 });
    expect(existsSync(installed)).toBe(false);
  });

  it('re-attaches to a running download after a reload', async () => {
    await page.locator(row).getByRole('button', { name: 'Download tiny.en' }).click();
    const bar = page.locator(`${row} [role="progressbar"]`);
    await page.waitForFunction((selector) => Number(document.querySelector(selector)?.getAttribute('aria-valuenow') ?? 0) > 0, `${row} [role="progressbar"]`);
    await page.reload();
    await bar.waitFor({ timeout: 10_000 });
    const seen = await watchProgress(page, row);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    await page.locator(`${row}[data-installed="true"]`).waitFor({ timeout: 30_000 });
    expect(statSync(installed).size).toBe(weights.length);
  });
});
