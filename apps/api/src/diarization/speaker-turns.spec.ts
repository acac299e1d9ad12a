import { speakerTurns } from './speaker-turns';

describe('speakerTurns', () => {
  it('cuts a region where the nearest window changes speaker and names speakers by first appearance', () => {
    const windows = [
      { start: 0, end: 1.6, region: 0 }, { start: 0.4, end: 2, region: 0 }, { start: 2, end: 3.6, region: 0 }, { start: 2.4, end: 4, region: 0 },
    ];
    const turns = speakerTurns([{ start: 0, end: 4 }], windows, [7, 7, 3, 3]);
    expect(turns).toEqual([{ start: 0, end: 2, speaker: 'A' }, { start: 2, end: 4, speaker: 'B' }]);
  });

  it('absorbs a run shorter than half a second into its neighbour', () => {
    const windows = [{ start: 0, end: 1.6, region: 0 }, { start: 1.6, end: 1.9, region: 0 }, { start: 1.9, end: 3.5, region: 0 }];
    const turns = speakerTurns([{ start: 0, end: 3.5 }], windows, [0, 1, 0]);
    expect(turns).toEqual([{ start: 0, end: 3.5, speaker: 'A' }]);
  });

  it('labels a region too short to embed by the nearest window, and keeps pauses out of turns', () => {
    const windows = [{ start: 0, end: 1.6, region: 0 }, { start: 5, end: 6.6, region: 2 }];
    const turns = speakerTurns([{ start: 0, end: 1.6 }, { start: 4.6, end: 4.8 }, { start: 5, end: 6.6 }], windows, [0, 1]);
    expect(turns).toEqual([
      { start: 0, end: 1.6, speaker: 'A' }, { start: 4.6, end: 4.8, speaker: 'B' }, { start: 5, end: 6.6, speaker: 'B' },
    ]);
  });

  it('uses given names for known speakers', () => {
    const turns = speakerTurns([{ start: 0, end: 2 }], [{ start: 0, end: 1.6 }], [4], new Map([[4, 'Ada']]));
    expect(turns).toEqual([{ start: 0, end: 2, speaker: 'Ada' }]);
  });
});
