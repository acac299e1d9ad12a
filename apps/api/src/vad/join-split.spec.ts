import type { TranscriptSegment } from '@speech/contracts';
import { packChunks } from './chunk-packer';
import { segmentsToSource } from './chunk-timeline';
import { splitAtJoins } from './join-split';

const S = 16_000;
// 10-13 s and 20-25 s laid with a second of silence between them: chunk 0-3 s, gap 3-4 s, 4-9 s.
const chunk = packChunks([{ start: 10 * S, end: 13 * S }, { start: 20 * S, end: 25 * S }], 30, S, 1).chunks[0]!;

describe('splitAtJoins with silence between the spans', () => {
  it('gives a word that starts in the gap to the region after it, and splits its segment there', () => {
    const segment: TranscriptSegment = {
      id: 0,
      start: 1,
      end: 5,
      text: ' fifth press star',
      words: [
        { word: ' fifth', start: 1, end: 2 },
        { word: ' press', start: 3.6, end: 4.4 },
        { word: ' star', start: 4.4, end: 5 },
      ],
    };
    const mapped = segmentsToSource(chunk, splitAtJoins(chunk, [segment], S), S);
    expect(mapped.map((s) => [s.text, s.start, s.end])).toEqual([
      [' fifth', 11, 12],
      [' press star', 20, 21],
    ]);
    expect(mapped[1]!.words!.map((w) => [w.word, w.start])).toEqual([[' press', 20], [' star', 20.4]]);
  });
});
