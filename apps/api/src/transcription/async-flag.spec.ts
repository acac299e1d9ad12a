import { wantsAsync } from './async-flag';

describe('wantsAsync', () => {
  it('reads async from the form, else the query string', () => {
    expect(wantsAsync({ async: 'true' }, {})).toBe(true);
    expect(wantsAsync({}, { async: '1' })).toBe(true);
    expect(wantsAsync({ async: 'TRUE' }, {})).toBe(true);
    expect(wantsAsync({}, {})).toBe(false);
    expect(wantsAsync({ async: '' }, {})).toBe(false);
    expect(wantsAsync({ async: 'false' }, { async: 'true' })).toBe(false);
  });

  it('refuses anything but a boolean, naming the parameter', () => {
    expect(() => wantsAsync({ async: 'maybe' }, {})).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', details: { param: 'async' } }));
  });
});
