import { hostName } from './host-allow-list';

describe('hostName (the name part of a Host header)', () => {
  it.each([
    ['localhost:8080', 'localhost'],
    ['LocalHost', 'localhost'],
    ['localhost.:8080', 'localhost'],
    ['127.0.0.1:80', '127.0.0.1'],
    ['[::1]:8080', '[::1]'],
    ['[::1]', '[::1]'],
    ['speech.lan', 'speech.lan'],
  ])('%s → %s', (header, name) => {
    expect(hostName(header)).toBe(name);
  });

  it.each([undefined, '', '::1', 'evil:8080:1', 'localhost:http', '[::1'])('%s → none (refused)', (header) => {
    expect(hostName(header)).toBeUndefined();
  });
});
