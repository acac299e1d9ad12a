import { A_DIARIZED_RESULT } from '../../../testing/fixtures';
import { hasSpeakerNames, renamed, withSpeakerNames } from './speaker-names';

describe('speaker names', () => {
  it('renames segments and words in a copy and leaves the original and unnamed speakers alone', () => {
    const before = JSON.parse(JSON.stringify(A_DIARIZED_RESULT)) as typeof A_DIARIZED_RESULT;
    const copy = withSpeakerNames(A_DIARIZED_RESULT, { A: 'Alice' });
    expect(copy.segments.map((s) => s.speaker)).toEqual(['B', 'Alice', 'Alice', 'B']);
    expect(copy.segments[1].words?.map((w) => w.speaker)).toEqual(['Alice', 'Alice', 'Alice']);
    expect(copy.segments[0].words?.map((w) => w.speaker)).toEqual(['B', 'B', 'B']);
    expect(copy.segments[2].words).toBeUndefined();
    expect(A_DIARIZED_RESULT).toEqual(before);
    expect(withSpeakerNames(A_DIARIZED_RESULT, {})).toBe(A_DIARIZED_RESULT);
  });

  it('renames the flat word list too, and ignores names that only exist on Object.prototype', () => {
    const result = { ...A_DIARIZED_RESULT, words: [{ word: 'hi', start: 0, end: 1, speaker: 'B' }, { word: 'x', start: 1, end: 2, speaker: 'toString' }] };
    const copy = withSpeakerNames(result, { B: 'Bob' });
    expect(copy.words?.map((w) => w.speaker)).toEqual(['Bob', 'toString']);
  });

  it('trims and bounds names; a blank name or the label itself removes the rename', () => {
    let names = renamed({}, 'A', '  Alice  ');
    expect(names).toEqual({ A: 'Alice' });
    names = renamed(names, 'B', 'x'.repeat(80));
    expect(names['B']).toHaveLength(64);
    expect(renamed(names, 'A', '   ')).toEqual({ B: 'x'.repeat(64) });
    expect(renamed(names, 'A', 'A')).toEqual({ B: 'x'.repeat(64) });
    expect(hasSpeakerNames({})).toBe(false);
    expect(hasSpeakerNames(names)).toBe(true);
  });
});
