import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { realModel, realModels, repeatedSpeech, workspaceRoot } from '@speech/test-support';
import type { Browser, Page } from 'playwright-core';
import { type RunningApi, startApiWithConsole } from './support/api-process';
import { dropFiles, launchChromium, VIEWPORTS } from './support/browser';

jest.setTimeout(600_000);

const JFK = path.join(workspaceRoot(), 'node_modules/nodejs-whisper/cpp/whisper.cpp/bindings/go/samples/jfk.wav');
const plain = (text: string) => text.toLowerCase().replace(/[^a-z ]+/g, ' ').replace(/\s+/g, ' ').trim();

/** Real speech, real weights (tiny.en from npm run models:real): the console shows what was really said. */
describe('web console with real weights (Chromium, built API, tiny.en)', () => {
  let api: RunningApi;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // No skip: without the real model this must fail.
    const ggml = realModel(realModels(), 'tiny.en', 'ggml');
    [api, browser] = await Promise.all([startApiWithConsole({ WHISPER_MODEL: ggml, WHISPER_THREADS: '2' }), launchChromium()]);
    const context = await browser.newContext({ viewport: VIEWPORTS.desktop, baseURL: api.url });
    page = await context.newPage();
  }, 30 * 60_000);

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
  });

  it("shows JFK's words in the transcript page", async () => {
    await page.goto('/');
    await dropFiles(page, '[data-testid="drop-zone"]', [{ name: 'jfk.wav', type: 'audio/wav', bytes: readFileSync(JFK) }]);
    await page.locator('[data-testid="upload-item"][data-name="jfk.wav"][data-phase="done"]').waitFor({ timeout: 300_000 });
    await page.locator('[data-name="jfk.wav"]').getByTestId('open-transcript').click();
    await page.getByTestId('transcript-title').waitFor();
    const texts = await page.locator('[data-testid="segments"] > li .text').allTextContents();
    const shown = plain(texts.join(' '));
    expect(shown).toContain('ask not what your country can do for you');
    expect(shown).toContain('ask what you can do for your country');
  });

  it('shows the text of a long upload while the rest is still being transcribed', async () => {
    // JFK six times, 2 s apart (~75 s): several VAD chunks, each one's text streamed as the engine returns it.
    const dir = mkdtempSync(path.join(tmpdir(), 'console-long-'));
    try {
      const long = repeatedSpeech(JFK, 6, 2, path.join(dir, 'jfk-six-times.wav'));
      await page.goto('/');
      await dropFiles(page, '[data-testid="drop-zone"]', [{ name: 'jfk-six-times.wav', type: 'audio/wav', bytes: readFileSync(long) }]);
      const item = page.locator('[data-testid="upload-item"][data-name="jfk-six-times.wav"]');
      // Text on screen while the item is not done yet: the first chunks' words, before the transcript exists.
      await item.locator('[data-testid="live-text"]').waitFor({ timeout: 300_000 });
      const phaseWithText = await item.getAttribute('data-phase');
      const early = plain(await item.locator('[data-testid="live-text"]').innerText());
      expect(phaseWithText).not.toBe('done');
      expect(early).toContain('ask not what your country can do for you');
      await page.locator('[data-testid="upload-item"][data-name="jfk-six-times.wav"][data-phase="done"]').waitFor({ timeout: 300_000 });
      const final = plain(await item.locator('[data-testid="live-text"]').innerText());
      expect(final.split('ask not what your country can do for you').length - 1).toBeGreaterThanOrEqual(5);
      expect(final.length).toBeGreaterThan(early.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

