import { MAX_SPECTRAL_WINDOWS, spectralSpeakerCount } from './spectral-speaker-count';

/** Unit vectors near one of a few orthogonal directions, plus seeded jitter: speakers in miniature. */
function voices(plan: readonly number[], jitter = 0.2): Float32Array[] {
  let seed = 99;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5;
  return plan.map((speaker) => {
    const v = new Float32Array(16);
    v[speaker] = 1;
    for (let d = 0; d < v.length; d++) v[d] += jitter * random();
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

const turns = (speakers: number, windows = 80) => Array.from({ length: windows }, (_, i) => Math.floor(i / 5) % speakers);

describe('spectralSpeakerCount', () => {
  it.each([2, 3, 4, 5])('finds %i well-separated voices', (speakers) => {
    expect(spectralSpeakerCount(voices(turns(speakers)), 8)).toBe(speakers);
  });

  it('never answers more than maxSpeakers', () => {
    expect(spectralSpeakerCount(voices(turns(5)), 3)).toBeLessThanOrEqual(3);
  });

  it('counts a long recording from a sample of its windows', () => {
    const plan = turns(3, 3 * MAX_SPECTRAL_WINDOWS);
    expect(spectralSpeakerCount(voices(plan), 8)).toBe(3);
  });
});
