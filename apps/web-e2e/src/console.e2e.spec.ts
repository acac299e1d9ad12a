import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { longSpeechFixture, SHORT_SENTENCE, speechFixture, workspaceRoot } from '@speech/test-support';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import SrtParser from 'srt-parser-2';
import { WebVTTParser } from 'webvtt-parser';
import { type RunningApi, startApiWithConsole } from './support/api-process';
import { describeViolations, dropFiles, launchChromium, screenshot, seriousA11yViolations, VIEWPORTS } from './support/browser';
import {
  createJob,
  downloadText,
  expectNoHorizontalScroll,
  nav,
  pngBytes,
  phasesUntil,
  recordPhases,
  recordUploadProgress,
} from './support/console-helpers';

/**
 * The console in real headless Chromium against the real built API (local whisper.cpp engine, generated
 * random-weight model), on the API's own origin as `npm start` serves it. Steps share one browser tab,
 * in order, like a person using the console.
 */
// testTimeout in jest.config.cts is a global option: under the root config (npm test) it does not apply.
jest.setTimeout(240_000);

describe('web console (Chromium, built API, local engine)', () => {
  const root = workspaceRoot();
  const long = longSpeechFixture();
  const short = speechFixture(SHORT_SENTENCE);
  let api: RunningApi;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    [api, browser] = await Promise.all([startApiWithConsole(), launchChromium()]);
    context = await browser.newContext({ viewport: VIEWPORTS.desktop, acceptDownloads: true, baseURL: api.url });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: api.url });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
  });

  afterEach(() => expect(pageErrors).toEqual([]));

  async function expectAccessible(name: string): Promise<void> {
    const violations = await seriousA11yViolations(page);
    if (violations.length > 0) throw new Error(`${name}: serious or critical axe violations\n${describeViolations(violations)}`);
  }

  it('shows the engine, model and readiness from /status and /health in the badge', async () => {
    await page.goto('/');
    await page.getByTestId('status').filter({ hasText: 'ready' }).waitFor();
    expect(await page.getByTestId('status').textContent()).toMatch(/local · random-tiny-test-seed0-f16\.bin · ready/);
    await expectAccessible('transcribe page');
  });

  it('uploads two dropped files with visible progress and transcribes both', async () => {
    await page.getByLabel('Word timestamps').check();
    // Slow the upload down so the progress bar has something to show: ~1 MB at 256 KB/s.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 256 * 1024 });
    await recordUploadProgress(page);

    await dropFiles(page, '[data-testid="drop-zone"]', [
      { name: 'long-passage.wav', type: 'audio/wav', bytes: readFileSync(long.wav) },
      { name: 'short-sentence.mp3', type: 'audio/mpeg', bytes: readFileSync(short.mp3) },
    ]);
    const longItem = page.locator('[data-testid="upload-item"][data-name="long-passage.wav"]');
    await longItem.locator('[data-testid="upload-progress"]').waitFor();
    await page.waitForFunction(() => {
      const bar = document.querySelector<HTMLProgressElement>('[data-name="long-passage.wav"] progress');
      return bar !== null && bar.value >= 20 && bar.value <= 80;
    });
    await screenshot(page, root, 'transcribe-uploading-desktop');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

    for (const name of ['long-passage.wav', 'short-sentence.mp3']) {
      await page.locator(`[data-testid="upload-item"][data-name="${name}"][data-phase="done"]`).waitFor({ timeout: 120_000 });
    }
    const seen = await page.evaluate(() => (window as unknown as { __progress: Record<string, number[]> }).__progress);
    const longValues = seen['long-passage.wav'] ?? [];
    expect(longValues.some((value) => value > 0 && value < 100)).toBe(true);
    expect(longValues.at(-1)).toBe(100);
    // Values only grow.
    expect(longValues).toEqual([...longValues].sort((a, b) => a - b));
    expect(await longItem.getByTestId('phase').textContent()).toContain('Done');
    await screenshot(page, root, 'transcribe-done-desktop');
    await expectAccessible('transcribe page with results');
  });

  it('opens a transcript, seeks the player by clicking a segment and highlights what plays', async () => {
    await page.locator('[data-name="long-passage.wav"]').getByTestId('open-transcript').click();
    await page.getByTestId('transcript-title').waitFor();
    expect(await page.getByTestId('transcript-title').textContent()).toContain('long-passage.wav');
    const segments = page.locator('[data-testid="segments"] > li');
    expect(await segments.count()).toBeGreaterThan(2);
    await expectAccessible('transcript page');

    const player = page.getByTestId('player');
    await page.waitForFunction(() => (document.querySelector('audio')?.readyState ?? 0) >= 1);
    expect(await player.evaluate((audio: HTMLAudioElement) => audio.currentTime)).toBe(0);
    // The longest segment that starts well inside the audio: the seek shows as a move of currentTime,
    // and the audio plays inside it long enough to see it highlighted.
    const spans = await segments.evaluateAll((items) =>
      items.map((item) => ({ id: item.dataset['segment'] ?? '', start: Number(item.dataset['start']), end: Number(item.dataset['end']) })),
    );
    const target = spans.filter((s) => s.start > 1).sort((a, b) => b.end - b.start - (a.end - a.start))[0];
    expect(target.end - target.start).toBeGreaterThan(1);
    await page.locator(`[data-segment="${target.id}"] .text`).click();
    await page.waitForFunction((s) => Math.abs((document.querySelector('audio')?.currentTime ?? -1) - s) < 1, target.start);
    const time = await player.evaluate((audio: HTMLAudioElement) => audio.currentTime);
    expect(time).toBeGreaterThanOrEqual(target.start - 0.05);
    expect(time).toBeLessThan(target.start + 1);
    await page.locator(`[data-testid="segments"] > li[aria-current="true"][data-segment="${target.id}"]`).waitFor();
    // Word timestamps were asked for: the playing word is marked too.
    await page.locator(`li[data-segment="${target.id}"] .word-active`).waitFor();
    await player.evaluate((audio: HTMLAudioElement) => audio.pause());
    // The keyboard does the same: focus the first segment and press Enter.
    await segments.first().locator('button.segment').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction((s) => Math.abs((document.querySelector('audio')?.currentTime ?? -1) - s) < 1, spans[0].start);
    await player.evaluate((audio: HTMLAudioElement) => audio.pause());
    await screenshot(page, root, 'transcript-desktop');
  });

  it('searches inside the transcript and copies its text', async () => {
    const firstWord = ((await page.locator('[data-testid="segments"] > li .text').first().textContent()) ?? '').trim().split(/\s+/)[0];
    await page.getByTestId('search').fill(firstWord);
    await page.locator('[data-testid="segments"] mark').first().waitFor();
    expect(await page.getByTestId('hits').textContent()).toMatch(/\d+ matches/);
    await page.getByTestId('copy').click();
    await page.getByText('Copied to the clipboard.').waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain(firstWord);
    await page.getByTestId('search').fill('');
  });

  it('downloads SRT and VTT built in the browser, identical to what the API formats for the same audio', async () => {
    const fromApi = async (format: 'srt' | 'vtt') => {
      const form = new FormData();
      form.append('task', 'transcribe');
      form.append('word_timestamps', 'true');
      form.append('response_format', format);
      form.append('file', new Blob([new Uint8Array(readFileSync(long.wav))], { type: 'audio/wav' }), 'long-passage.wav');
      const response = await fetch(`${api.url}/transcribe`, { method: 'POST', body: form });
      expect(response.status).toBe(200);
      return response.text();
    };

    const srt = await downloadText(page, 'download-srt', 'long-passage.srt');
    const cues = new SrtParser().fromSrt(srt);
    // One cue per segment with text, at the segment's start (SRT: comma before the milliseconds).
    const shown = await page.locator('[data-testid="segments"] > li').evaluateAll((items) =>
      items.filter((item) => (item.querySelector('.text')?.textContent ?? '').trim() !== '').map((item) => Number(item.dataset['start'])),
    );
    expect(cues.map((cue) => cue.startSeconds)).toEqual(shown.map((start) => Math.round(start * 1000) / 1000));
    expect(srt).toMatch(/^1\n\d\d:\d\d:\d\d,\d\d\d --> \d\d:\d\d:\d\d,\d\d\d\n/);
    expect(srt).toBe(await fromApi('srt'));

    const vtt = await downloadText(page, 'download-vtt', 'long-passage.vtt');
    expect(vtt.startsWith('WEBVTT\n\n')).toBe(true);
    const parsed = new WebVTTParser().parse(vtt);
    // The API keeps zero-length segments as zero-length cues (the random model makes some), which the
    // parser flags; the console keeps the API's rules, so only that complaint is allowed here.
    expect(parsed.errors.filter((e) => !/End timestamp is not greater than start/.test(e.message))).toEqual([]);
    expect(parsed.cues.length).toBe(cues.length);
    expect(vtt).toBe(await fromApi('vtt'));
  });

  it('refuses a non-audio file before upload and shows the API’s message for a disguised one', async () => {
    await nav(page, 'Transcribe').click();
    await dropFiles(page, '[data-testid="drop-zone"]', [
      { name: 'notes.txt', type: 'text/plain', bytes: Buffer.from('meeting notes, not audio\n') },
      { name: 'holiday.wav', type: 'audio/wav', bytes: pngBytes() },
    ]);
    const rejected = page.locator('[data-name="notes.txt"][data-phase="rejected"]');
    await rejected.waitFor();
    expect(await rejected.getByTestId('rejection').textContent()).toContain(
      'notes.txt is not an audio file the API accepts (mp3, wav, m4a, flac, ogg, webm).',
    );
    const failed = page.locator('[data-name="holiday.wav"][data-phase="failed"]');
    await failed.waitFor({ timeout: 60_000 });
    const alert = (await failed.getByTestId('error').textContent()) ?? '';
    expect(alert).toMatch(/not in a supported audio format/i);
    expect(alert).toMatch(/Request id [0-9a-f-]{36}/);
    await screenshot(page, root, 'transcribe-errors-desktop');
    await expectAccessible('transcribe page with errors');
  });

  it('cancels an upload in flight', async () => {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 32 * 1024 });
    const aborted = page.waitForEvent('requestfailed', (request) => request.url().endsWith('/transcribe'));
    await dropFiles(page, '[data-testid="drop-zone"]', [{ name: 'to-cancel.wav', type: 'audio/wav', bytes: readFileSync(long.wav) }]);
    const item = page.locator('[data-name="to-cancel.wav"]');
    await item.locator('[data-testid="upload-progress"]').waitFor();
    await item.getByTestId('cancel').click();
    await page.locator('[data-name="to-cancel.wav"][data-phase="cancelled"]').waitFor();
    // The browser really dropped the request (XHR abort), not just the row.
    expect((await aborted).failure()?.errorText).toMatch(/ABORTED/);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    expect(await item.getByTestId('retry').isVisible()).toBe(true);
  });

  it('switches to German and to the dark theme at run time', async () => {
    await nav(page, 'Settings').click();
    await page.getByTestId('service').waitFor();
    await expectAccessible('settings page');
    await screenshot(page, root, 'settings-desktop');
    await page.getByTestId('ui-language').selectOption('de');
    await page.getByRole('heading', { name: 'Einstellungen' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('de');
    await page.getByTestId('ui-theme').selectOption('dark');
    expect(await page.evaluate(() => document.documentElement.dataset['theme'])).toBe('dark');
    await expectAccessible('settings page, German, dark');
    await screenshot(page, root, 'settings-de-dark-desktop');
    await nav(page, 'Transkribieren').click();
    await page.getByRole('heading', { name: 'Audio transkribieren' }).waitFor();
    await expectAccessible('transcribe page, German, dark');
    await screenshot(page, root, 'transcribe-de-dark-desktop');
    await nav(page, 'Einstellungen').click();
    await page.getByTestId('ui-language').selectOption('en');
    await page.getByTestId('ui-theme').selectOption('system');
  });

  let elsewhereJobId = '';

  it('runs a background job with live status, downloads its SRT and plays its audio from this tab', async () => {
    await nav(page, 'Transcribe').click();
    await page.getByTestId('mode-job').check();
    await page.getByTestId('opt-format').selectOption('srt');
    await recordPhases(page);
    await dropFiles(page, '[data-testid="drop-zone"]', [{ name: 'job-clip.wav', type: 'audio/wav', bytes: readFileSync(long.wav) }]);
    const item = page.locator('[data-testid="upload-item"][data-name="job-clip.wav"]');
    const phases = await phasesUntil(page, 'job-clip.wav', 'done');
    expect(phases.some((phase) => phase === 'queued' || phase === 'running')).toBe(true);
    expect(phases.at(-1)).toBe('done');

    const href = (await item.getByTestId('open-transcript').getAttribute('href')) ?? '';
    expect(href).toMatch(/^\/jobs\/[\w-]+$/);
    const jobId = href.split('/').pop() ?? '';
    // The row's download is the job's own format (SRT), made by the API.
    const srt = await downloadText(page, 'download', 'job-clip.srt', item);
    expect(srt).toBe(await (await fetch(`${api.url}/api/v1/jobs/${jobId}/transcript.srt`)).text());
    expect(new SrtParser().fromSrt(srt).length).toBeGreaterThan(0);

    await item.getByTestId('open-transcript').click();
    await page.getByTestId('transcript-title').waitFor();
    expect(await page.getByTestId('transcript-title').textContent()).toBe('job-clip.wav');
    // The API does not keep a job's audio, but this tab uploaded it: the player has it.
    await page.waitForFunction(() => (document.querySelector('audio')?.readyState ?? 0) >= 1);
    const second = page.locator('[data-testid="segments"] > li').nth(1);
    const start = Number(await second.getAttribute('data-start'));
    await second.locator('.text').click();
    await page.waitForFunction((s) => Math.abs((document.querySelector('audio')?.currentTime ?? -1) - s) < 1, start);
    await page.getByTestId('player').evaluate((audio: HTMLAudioElement) => audio.pause());
    await expectAccessible('job transcript page');
  });

  it('lists jobs live: jobs made elsewhere appear, one is cancelled, retried and succeeds; filters by status', async () => {
    await nav(page, 'Jobs').click();
    await page.locator('[data-testid="job-row"][data-status="succeeded"]').first().waitFor();
    await page.getByTestId('live').filter({ hasText: 'Live updates on' }).waitFor();
    // Two jobs from another client: one worker, so the second waits in the queue while the first runs.
    const first = await createJob(api.url, 'ahead-in-queue.wav', readFileSync(long.wav));
    const created = await createJob(api.url, 'from-elsewhere.wav', readFileSync(long.wav));
    elsewhereJobId = created.id;
    const row = page.locator(`[data-testid="job-row"][data-job="${created.id}"]`);
    await row.waitFor(); // arrived through the event stream, no reload
    await row.getByTestId('cancel-job').click();
    await page.locator(`[data-job="${created.id}"][data-status="cancelled"]`).waitFor();
    await page.locator(`[data-job="${first.id}"][data-status="succeeded"]`).waitFor({ timeout: 120_000 });
    await row.getByTestId('retry-job').click();
    await page.locator(`[data-job="${created.id}"][data-status="succeeded"]`).waitFor({ timeout: 120_000 });
    expect(await row.textContent()).toContain('100 %');
    expect(await row.locator('time').textContent()).toMatch(/now|second|minute/);
    await expectAccessible('jobs page');
    await screenshot(page, root, 'jobs-desktop');

    await page.getByTestId('job-filter').selectOption('cancelled');
    await page.getByTestId('no-jobs').waitFor();
    await page.getByTestId('job-filter').selectOption('succeeded');
    await page.locator('[data-testid="job-row"]').first().waitFor();
    const statuses = await page.locator('[data-testid="job-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')));
    expect(new Set(statuses)).toEqual(new Set(['succeeded']));
    await page.getByTestId('job-filter').selectOption('');
  });

  it('offers to attach the audio of a job this tab did not upload', async () => {
    await page.locator(`[data-job="${elsewhereJobId}"] a`).click();
    await page.getByTestId('transcript-title').waitFor();
    expect(await page.getByTestId('player').count()).toBe(0);
    expect(await page.locator('main').textContent()).toContain('The server does not keep the audio of jobs.');
    await page.getByTestId('attach-audio').setInputFiles(long.wav);
    await page.getByTestId('player').waitFor();
    await page.waitForFunction(() => (document.querySelector('audio')?.readyState ?? 0) >= 1);
  });

  it('lays every page out at phone width', async () => {
    await page.setViewportSize(VIEWPORTS.phone);
    await nav(page, 'Transcribe').click();
    await page.getByTestId('drop-zone').waitFor();
    await expectNoHorizontalScroll(page);
    await screenshot(page, root, 'transcribe-phone');
    await page.locator('[data-name="long-passage.wav"]').getByTestId('open-transcript').click();
    await page.getByTestId('transcript-title').waitFor();
    await expectNoHorizontalScroll(page);
    await screenshot(page, root, 'transcript-phone');
    await nav(page, 'Settings').click();
    await page.getByTestId('service').waitFor();
    await expectNoHorizontalScroll(page);
    await screenshot(page, root, 'settings-phone');
    await nav(page, 'Jobs').click();
    await page.getByRole('heading', { name: 'Jobs' }).waitFor();
    await page.waitForLoadState('networkidle').catch(() => undefined);
    await expectNoHorizontalScroll(page);
    await expectAccessible('jobs page (phone)');
    await screenshot(page, root, 'jobs-phone');
    await page.setViewportSize(VIEWPORTS.desktop);
  });

  it("has its API client generated from this API's OpenAPI document (the committed output is current)", () => {
    const check = spawnSync(
      process.execPath,
      ['scripts/run-ts.mjs', 'apps/web/tools/api-client/generate-api-client.cli.ts', '--check', '--url', `${api.url}/api/docs/openapi.json`],
      { cwd: root, encoding: 'utf8' },
    );
    expect(check.stderr).toContain('the generated API client is up to date');
    expect(check.status).toBe(0);
  });
});
