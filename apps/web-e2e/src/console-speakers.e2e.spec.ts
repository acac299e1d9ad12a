import { workspaceRoot } from '@speech/test-support';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type RunningApi, startApiWithConsole } from './support/api-process';
import { describeViolations, dropFiles, launchChromium, screenshot, seriousA11yViolations, VIEWPORTS } from './support/browser';
import { downloadText } from './support/console-helpers';

/**
 * Speakers and quality flags in the console, in real Chromium on the built API's origin. The API's answer to the
 * upload is a fixture transcript (diarized, with flags), served by intercepting POST /transcribe: this checks the
 * console's side — the fields it sends, colours, legend, renames, badges, the filter, accessibility in both themes
 * and the downloads — whatever engine the API runs.
 */
jest.setTimeout(240_000);

const DIARIZED = {
  text: 'Shall we start? Yes, go ahead. Thanks for watching. First item on the list.',
  language: 'en',
  duration: 14,
  segments: [
    { id: 0, start: 0, end: 2, text: ' Shall we start?', speaker: 'B', avg_logprob: -0.2 },
    { id: 1, start: 2.5, end: 4, text: ' Yes, go ahead.', speaker: 'A', avg_logprob: -1.3, flags: ['low_confidence'] },
    { id: 2, start: 5, end: 7, text: ' Thanks for watching.', speaker: 'A', flags: ['outside_speech', 'known_hallucination'] },
    { id: 3, start: 8, end: 14, text: ' First item on the list.', speaker: 'C' },
  ],
};

describe('web console: speakers and quality flags (Chromium, fixture transcript)', () => {
  const root = workspaceRoot();
  let api: RunningApi;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  const sentForms: string[] = [];

  beforeAll(async () => {
    [api, browser] = await Promise.all([startApiWithConsole(), launchChromium()]);
    context = await browser.newContext({ viewport: VIEWPORTS.desktop, acceptDownloads: true, baseURL: api.url });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.route('**/transcribe', async (route) => {
      sentForms.push(route.request().postDataBuffer()?.toString('latin1') ?? '');
      await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(DIARIZED) });
    });
  });

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
  });

  afterEach(() => expect(pageErrors).toEqual([]));

  /** Serious or critical axe violations of the page as it is, described; empty when there are none. */
  const axeReport = async () => describeViolations(await seriousA11yViolations(page));

  /** The value of a multipart field in a captured request body, or undefined. */
  function field(form: string, name: string): string | undefined {
    return new RegExp(`name="${name}"\\r\\n\\r\\n([^\\r]*)\\r\\n`).exec(form)?.[1];
  }

  it('sends the speaker, VAD and filter options the person chose', async () => {
    await page.goto('/');
    await page.getByLabel('Speakers: tell who spoke when').check();
    await page.getByTestId('count-range').check();
    await page.getByLabel('At least').fill('2');
    await page.getByLabel('At most').fill('4');
    await page.getByLabel('Skip silence (VAD)').uncheck();
    await page.getByLabel('Drop suspicious segments').check();
    expect(await axeReport()).toBe('');
    await screenshot(page, root, 'transcribe-speaker-options-desktop');
    await dropFiles(page, '[data-testid="drop-zone"]', [{ name: 'panel.wav', type: 'audio/wav', bytes: Buffer.from('RIFF0000WAVEfmt ') }]);
    await page.locator('[data-name="panel.wav"][data-phase="done"]').waitFor();
    const [form] = sentForms;
    expect(['diarize', 'num_speakers', 'min_speakers', 'max_speakers', 'vad', 'hallucination_filter'].map((name) => field(form, name))).toEqual([
      'true',
      undefined,
      '2',
      '4',
      'false',
      'true',
    ]);
  });

  it('shows speakers in their colours with a legend, and flagged segments with their reasons', async () => {
    await page.locator('[data-name="panel.wav"]').getByTestId('open-transcript').click();
    await page.getByTestId('speaker-legend').waitFor();
    // Each segment reads out its speaker; each turn opens with the name in the speaker's colour.
    expect(await page.locator('[data-testid="segments"] [data-testid="speaker"]').allTextContents()).toEqual(['B: ', 'A: ', 'A: ', 'C: ']);
    const turns = page.locator('[data-testid="segments"] [data-testid="turn"]');
    expect(await turns.allTextContents()).toEqual(['B', 'A', 'C']);
    const colours = await turns.evaluateAll((items) => items.map((item) => getComputedStyle(item).backgroundColor));
    expect(colours).toEqual(['rgb(0, 114, 178)', 'rgb(230, 159, 0)', 'rgb(0, 158, 115)']);
    expect(await page.locator('[data-segment="1"] .flag').textContent()).toContain('Low confidence');
    expect(await page.locator('[data-segment="2"] .flag').count()).toBe(2);
    expect(await axeReport()).toBe('');
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await axeReport()).toBe('');
    await screenshot(page, root, 'transcript-speakers-dark-desktop');
    await page.emulateMedia({ colorScheme: 'light' });
    await screenshot(page, root, 'transcript-speakers-desktop');

    const segmentsShown = (ids: string) =>
      page.waitForFunction(
        (expected) => Array.from(document.querySelectorAll('[data-testid="segments"] > li')).map((li) => li.getAttribute('data-segment')).join(',') === expected,
        ids,
      );
    await page.getByTestId('hide-flagged').check();
    await segmentsShown('0,3');
    await page.getByTestId('hide-flagged').uncheck();
    await segmentsShown('0,1,2,3');
  });

  it('renames a speaker in the legend; the view and the downloads carry the name', async () => {
    await page.getByLabel('Name of speaker A').fill('Alice');
    await page.getByLabel('Name of speaker A').press('Enter');
    await page.locator('[data-segment="1"] [data-testid="turn"]', { hasText: 'Alice' }).waitFor();
    const json = JSON.parse(await downloadText(page, 'download-json', 'panel.json')) as typeof DIARIZED;
    expect(json.segments.map((s) => s.speaker)).toEqual(['B', 'Alice', 'Alice', 'C']);
    // Leaving the page and coming back keeps the name (it lives with the transcript in this tab).
    await page.getByRole('link', { name: 'Back to transcribe' }).click();
    await page.locator('[data-name="panel.wav"]').getByTestId('open-transcript').click();
    expect(await page.getByLabel('Name of speaker A').inputValue()).toBe('Alice');
  });
});
