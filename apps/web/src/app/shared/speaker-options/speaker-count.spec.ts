import { parseSpeakerCount } from './speaker-count';

const fields = (exact: string, min = '', max = '') => ({ exact, min, max });

describe('speaker count', () => {
  it('leaves the count to the API, or asks for an exact count or a range', () => {
    expect(parseSpeakerCount('auto', fields('abc'))).toEqual({ ok: true, request: {} });
    expect(parseSpeakerCount('exact', fields('3'))).toEqual({ ok: true, request: { count: 3 } });
    expect(parseSpeakerCount('range', fields('', '2', '5'))).toEqual({ ok: true, request: { min: 2, max: 5 } });
    expect(parseSpeakerCount('range', fields('', '', '4'))).toEqual({ ok: true, request: { max: 4 } });
    expect(parseSpeakerCount('range', fields('', ' ', ''))).toEqual({ ok: true, request: {} });
  });

  it("refuses what the API refuses (whole numbers 1 to 16, at least ≤ at most), falling back to the estimate", () => {
    for (const exact of ['', '0', '17', '2.5', 'two']) {
      expect(parseSpeakerCount('exact', fields(exact))).toEqual({ ok: false, field: 'exact', fallback: {} });
    }
    expect(parseSpeakerCount('exact', fields('16'))).toEqual({ ok: true, request: { count: 16 } });
    expect(parseSpeakerCount('range', fields('', '5', '2'))).toMatchObject({ ok: false, field: 'min' });
    expect(parseSpeakerCount('range', fields('', '1', '20'))).toMatchObject({ ok: false, field: 'max' });
    expect(parseSpeakerCount('range', fields('', '-1', ''))).toMatchObject({ ok: false, field: 'min' });
  });
});
