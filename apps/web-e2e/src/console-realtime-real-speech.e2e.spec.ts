import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { evalSet, realModel, realModels, scoreTranscripts, workspaceRoot } from '@speech/test-support';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type RunningApi, startApiWithConsole } from './support/api-process';
import { CHROMIUM_PATH, dropFiles, VIEWPORTS } from './support/browser';

jest.setTimeout(300_000);

const JFK = path.join(workspaceRoot(), 'node_modules/nodejs-whisper/cpp/whisper.cpp/bindings/go/samples/jfk.wav');
const JFK_SAID = 'And so, my fellow Americans, ask not what your country can do for you, ask what you can do for your country.';
/** tiny.en gets JFK almost word for word from the file; a live stream cut into turns may lose a word at a turn edge. */
const MAX_LIVE_WER = 25;

/**
 * Real speech longer than one 30 s Whisper window (the eval set's first two Asterisk concatenations, ~44 s): several
 * segments, hence several deltas, and room for text to come before "done" once the API sends it as it is decoded.
 */
function twoWindowSpeech(): { file: string; reference: string } {
  const clips = evalSet('en').sets.concat.slice(0, 2);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'console-stream-')), 'two-windows.wav');
  const inputs = clips.flatMap((clip) => ['-i', clip.audio]);
  execFileSync('ffmpeg', ['-loglevel', 'error', ...inputs, '-filter_complex', 'concat=n=2:v=0:a=1', '-ar', '16000', '-ac', '1', '-c:a', 'pcm_s16le', file]);
  return { file, reference: clips.map((clip) => clip.reference).join(' ') };
}

interface Snapshot {
  phase: string | null;
  live: string;
}

/**
 * Real-time text in the console against the real API on real tiny.en weights: a streamed upload and the Live page
 * fed by Chromium's fake microphone playing JFK (played once: `%noloop`).
 */
describe('console real-time text with real weights (Chromium, built API, tiny.en)', () => {
  let api: RunningApi;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // No skip: without the real model this must fail.
    const ggml = realModel(realModels(), 'tiny.en', 'ggml');
    [api, browser] = await Promise.all([
      startApiWithConsole({ WHISPER_MODEL: ggml, WHISPER_THREADS: '2' }),
      chromium.launch({
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${JFK}%noloop`],
      }),
    ]);
    const context = await browser.newContext({ viewport: VIEWPORTS.desktop, baseURL: api.url, acceptDownloads: true });
    page = await context.newPage();
  }, 10 * 60_000);

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
  });

  it('shows a streamed upload’s text in the role=log region, then the whole transcript', async () => {
    const speech = twoWindowSpeech();
    expect(speech.reference.split(' ').length).toBeGreaterThan(40);
    await page.goto('/');
    // Every change of the item is recorded in the page (phase and role=log text), not sampled from the test.
    await page.evaluate(() => {
      const seen: { phase: string | null; live: string }[] = [];
      (window as unknown as { __seen: typeof seen }).__seen = seen;
      new MutationObserver(() => {
        const item = document.querySelector('[data-testid="upload-item"][data-name="two-windows.wav"]');
        if (item) seen.push({ phase: item.getAttribute('data-phase'), live: item.querySelector('[role="log"][data-testid="live-text"]')?.textContent?.trim() ?? '' });
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await dropFiles(page, '[data-testid="drop-zone"]', [{ name: 'two-windows.wav', type: 'audio/wav', bytes: readFileSync(speech.file) }]);
    await page.locator('[data-testid="upload-item"][data-name="two-windows.wav"][data-phase="done"]').waitFor({ timeout: 120_000 });

    const seen = await page.evaluate(() => (window as unknown as { __seen: Snapshot[] }).__seen);
    // The text arrives as transcript.text.* events and is shown in the role=log region (announced as it grows).
    const logged = seen.filter((snapshot) => snapshot.live.length > 0);
    expect(logged.length).toBeGreaterThan(0);
    const shownLive = logged.at(-1)?.live ?? '';
    expect(scoreTranscripts('en', [{ key: 'log', reference: speech.reference, hypothesis: shownLive }])['log'].wer).toBeLessThanOrEqual(15);
    // NOT asserted: text before "done". Today the API's stream=true on /transcribe decodes the whole file first and
    // then sends one delta per segment (SyncTranscription.stream), so all deltas land together with done; measured
    // with curl -N on this 44 s file: 18 deltas and done within 40 ms, after the whole decode. Once the pipeline
    // forwards segments as the engine finishes them, assert here that logged text exists while phase !== 'done'.

    await page.locator('[data-name="two-windows.wav"]').getByTestId('open-transcript').click();
    await page.getByTestId('transcript-title').waitFor();
    const shown = (await page.locator('[data-testid="segments"] > li .text').allTextContents()).join(' ');
    // tiny.en scores ~4 % WER on these clips as files (realtime-accuracy e2e); 15 leaves room, not for wrong text.
    expect(scoreTranscripts('en', [{ key: 'upload', reference: speech.reference, hypothesis: shown }])['upload'].wer).toBeLessThanOrEqual(15);
  });

  it('Live page: the fake microphone’s speech shows as live text, and after stop a final transcript is saved with downloads', async () => {
    await page.goto('/live');
    await page.getByTestId('live-start').click();
    // Text while JFK is still being "spoken" (11 s of audio): a partial or a firm turn.
    await page.locator('[data-testid="live-turn"]').filter({ hasText: /\w{3,}/ }).first().waitFor({ timeout: 30_000 });
    // The file plays once; stop after it has ended so the last turn is committed by stop, not lost.
    await page.waitForTimeout(13_000);
    await page.getByTestId('live-stop').click();
    await page.locator('[data-testid="live-save"]:enabled').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('live-partial').count()).toBe(0);
    const live = (await page.locator('[data-testid="live-turn"].final .text').allTextContents()).join(' ');
    const liveWer = scoreTranscripts('en', [{ key: 'live', reference: JFK_SAID, hypothesis: live }])['live'].wer;
    expect(liveWer).toBeLessThanOrEqual(MAX_LIVE_WER);

    await page.getByTestId('live-save').click();
    await page.waitForURL(/\/transcripts\//);
    await page.getByTestId('transcript-title').waitFor();
    const srt = await downloadTextAnyName(page, 'download-srt', /\.srt$/);
    expect(srt).toMatch(/^1\r?\n\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}/);
    const vtt = await downloadTextAnyName(page, 'download-vtt', /\.vtt$/);
    expect(vtt.startsWith('WEBVTT')).toBe(true);
    const saved = scoreTranscripts('en', [{ key: 'saved', reference: JFK_SAID, hypothesis: srt.replace(/^\d+\r?\n[\d:,]+ --> [\d:,]+\r?\n/gm, ' ') }]);
    expect(saved['saved'].wer).toBeLessThanOrEqual(MAX_LIVE_WER);
  });
});

/** A download's text; a saved live session's file name is not fixed, so only its extension is checked. */
async function downloadTextAnyName(page: Page, testId: string, name: RegExp): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  expect(download.suggestedFilename()).toMatch(name);
  return readFileSync(await download.path(), 'utf8');
}
