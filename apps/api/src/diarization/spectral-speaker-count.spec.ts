import { MAX_SPECTRAL_WINDOWS, spectralSpeakerCount } from './spectral-speaker-count';
import { syntheticVoices } from './testing/synthetic-voices';

/** Unit vectors near one of a few orthogonal directions, plus seeded jitter: speakers in miniature. */
const voices = (plan: readonly number[], jitter = 0.2) => syntheticVoices(plan, { seed: 99, jitter });

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
