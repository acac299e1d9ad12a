import { compressionRatio } from './compression-ratio';

describe('compressionRatio', () => {
  // Expected values from Python (openai-whisper's definition), made with:
  //   python -c "import zlib; b=t.encode('utf-8'); print(len(b)/len(zlib.compress(b)))"
  it.each([
    ['', 0],
    ['Hello world.', 0.6],
    [' And so, my fellow Americans, ask not what your country can do for you, ask what you can do for your country.', 1.3625],
    ['the the the the the the the the the the the the the the the the the the the the the the the the', 6.333333333333333],
    ['Grüße aus Köln — ça va? ¿Qué tal?', 0.82],
  ])('matches Python zlib for %j', (text, expected) => {
    expect(compressionRatio(text)).toBeCloseTo(expected, 12);
  });
});
