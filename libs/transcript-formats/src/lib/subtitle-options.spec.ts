import { hasSubtitleOptions, parseSubtitleOptions, resolveSubtitleRules, SUBTITLE_DEFAULTS, subtitleOptionsToFields } from './subtitle-options';

describe('subtitle options', () => {
  it('has the broadcast defaults: 42 characters × 2 lines, at most 7 s, 80 ms (2 frames at 25 fps) apart', () => {
    expect(SUBTITLE_DEFAULTS).toEqual({ maxLineWidth: 42, maxLineCount: 2, maxCueDuration: 7, minCueGap: 0.08, highlightWords: false });
  });

  it('reads form fields as strings, numbers or booleans; fields not sent stay unset', () => {
    expect(parseSubtitleOptions({})).toEqual({ ok: true, options: {} });
    expect(parseSubtitleOptions({ max_line_width: '', language: 'en' })).toEqual({ ok: true, options: {} });
    expect(parseSubtitleOptions({ max_line_width: '32', max_line_count: 1, max_cue_duration: '5.5', min_cue_gap: '0', highlight_words: 'true' })).toEqual({
      ok: true,
      options: { maxLineWidth: 32, maxLineCount: 1, maxCueDuration: 5.5, minCueGap: 0, highlightWords: true },
    });
    expect(parseSubtitleOptions({ highlight_words: false })).toEqual({ ok: true, options: { highlightWords: false } });
  });

  it.each([
    ['max_line_width', '9', /whole number from 10 to 200/],
    ['max_line_width', '42.5', /whole number/],
    ['max_line_width', 'wide', /got "wide"/],
    ['max_line_count', '0', /from 1 to 10/],
    ['max_cue_duration', '0.5', /from 1 to 60/],
    ['max_cue_duration', 'Infinity', /number from 1 to 60/],
    ['min_cue_gap', '-0.1', /from 0 to 2/],
    ['min_cue_gap', ['0.1', '0.2'], /got "0.1,0.2"/],
    ['highlight_words', 'yes', /true or false/],
  ])('refuses %s=%j and names the field', (param, value, message) => {
    const parsed = parseSubtitleOptions({ [param]: value });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error.param).toBe(param);
      expect(parsed.error.message).toMatch(message);
    }
  });

  it('fills what a request left out with the defaults, and writes set options back as wire fields', () => {
    expect(resolveSubtitleRules({ maxLineWidth: 30, minCueGap: undefined })).toEqual({ ...SUBTITLE_DEFAULTS, maxLineWidth: 30 });
    expect(hasSubtitleOptions(undefined)).toBe(false);
    expect(hasSubtitleOptions({ maxLineCount: undefined })).toBe(false);
    expect(hasSubtitleOptions({ highlightWords: false })).toBe(true);
    expect(subtitleOptionsToFields({ maxLineWidth: 30, highlightWords: true })).toEqual({ max_line_width: 30, highlight_words: true });
  });
});
