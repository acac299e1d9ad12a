import { readFileSync } from 'node:fs';
import type { Job } from '@speech/contracts';
import type { Locator, Page } from 'playwright-core';

// Page helpers of the console e2e spec. They use jest's expect, so they belong to the tests only.

/** A link of the main navigation (the page has other links with similar names). */
export function nav(page: Page, name: string) {
  return page.getByRole('navigation').getByRole('link', { name, exact: true });
}

export async function recordUploadProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: Record<string, number[]> = {};
    (window as unknown as { __progress: Record<string, number[]> }).__progress = seen;
    setInterval(() => {
      for (const item of Array.from(document.querySelectorAll<HTMLElement>('[data-testid="upload-item"]'))) {
        const bar = item.querySelector<HTMLProgressElement>('[data-testid="upload-progress"]');
        const name = item.dataset['name'] ?? '';
        if (!bar) continue;
        const values = (seen[name] ??= []);
        if (values.at(-1) !== bar.value) values.push(bar.value);
      }
    }, 20);
  });
}

export async function downloadText(page: Page, testId: string, expectedName: string, within?: Locator): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), (within ?? page).getByTestId(testId).click()]);
  expect(download.suggestedFilename()).toBe(expectedName);
  const file = await download.path();
  return readFileSync(file, 'utf8');
}

export async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const wide = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    return Array.from(document.querySelectorAll<HTMLElement>('body *'))
      .filter((element) => element.getBoundingClientRect().right > width + 0.5)
      .map((element) => `${element.tagName.toLowerCase()}.${element.className} right=${Math.round(element.getBoundingClientRect().right)}`);
  });
  expect(wide).toEqual([]);
}

/** Phases each upload row went through, sampled every 20 ms. */
export async function recordPhases(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: Record<string, string[]> = {};
    (window as unknown as { __phases: Record<string, string[]> }).__phases = seen;
    const record = () => {
      for (const item of Array.from(document.querySelectorAll<HTMLElement>('[data-testid="upload-item"]'))) {
        const values = (seen[item.dataset['name'] ?? ''] ??= []);
        const phase = item.dataset['phase'] ?? '';
        if (values.at(-1) !== phase) values.push(phase);
      }
    };
    // A mutation observer sees every phase change as it happens; a timer could miss a short phase or the last one
    // when a loaded machine delays it.
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-phase'] });
    record();
  });
}

/** The phases recorded for one upload item, once the last one seen is `phase` (waits up to `timeout`). */
export async function phasesUntil(page: Page, name: string, phase: string, timeout = 120_000): Promise<string[]> {
  await page.waitForFunction(
    ([n, p]) => (window as unknown as { __phases: Record<string, string[]> }).__phases[n]?.at(-1) === p,
    [name, phase] as const,
    { timeout },
  );
  return page.evaluate((n) => (window as unknown as { __phases: Record<string, string[]> }).__phases[n], name);
}

/** A job made by another client of the API (not this browser tab). */
export async function createJob(url: string, name: string, bytes: Buffer): Promise<Job> {
  const form = new FormData();
  form.append('response_format', 'json');
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'audio/wav' }), name);
  const response = await fetch(`${url}/api/v1/jobs`, { method: 'POST', body: form });
  expect(response.status).toBe(202);
  return (await response.json()) as Job;
}

/** PNG signature and header: an image, whatever its name says. */
export function pngBytes(): Buffer {
  return Buffer.from(
    '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a5a90000000049454e44ae426082',
    'hex',
  );
}
