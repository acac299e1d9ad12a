import { readFileSync } from 'node:fs';
import path from 'node:path';
import { realModel, realModels, workspaceRoot } from '@speech/test-support';
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
});
