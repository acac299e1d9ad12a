import { fittedDecodeLooped } from './fitted-decode-looped';
import type { ResultEvent } from './worker-protocol';

const result = (...segments: Array<[number, number, string]>): ResultEvent => ({
  event: 'result',
  id: 'r1',
  language: 'en',
  segments: segments.map(([t0_ms, t1_ms, text]) => ({ t0_ms, t1_ms, text, no_speech_prob: 0, avg_logprob: -0.2 })),
  timings: { total_ms: 100 },
});

describe('fittedDecodeLooped', () => {
  it('flags a sentence written again in a second segment', () => {
    // whisper-cli -ac 192 on the eval clip vm-from-extension (1.8 s) wrote exactly this.
    expect(fittedDecodeLooped(result([0, 1560, ' Message from extension.'], [1560, 4520, ' Message from extension.']), 1.8)).toBe(true);
  });

  it('flags text that repeats itself inside one segment', () => {
    expect(fittedDecodeLooped(result([0, 7000, ' Press 2 to change folders. Press 3 for options. Press 2 to change folders.']), 7.2)).toBe(true);
  });

  it('passes a clean transcript, wherever its last timestamp falls', () => {
    // whisper-cli -ac 320 on the first 3 s of concat-000, cut mid-word.
    expect(fittedDecodeLooped(result([0, 7000, " activated, added, that's it."]), 3)).toBe(false);
    expect(fittedDecodeLooped(result([0, 2240, ' Press 2 to change folders.'], [2240, 4720, ' Press 3 for advanced options.'], [4720, 7500, ' Press 0 for mailbox options.']), 7.2)).toBe(false);
    expect(fittedDecodeLooped(result(), 1)).toBe(false);
  });
});
