import { runPythonScript, SeededNormal } from '@speech/test-support';
import { SILERO_REFERENCE_DEFAULTS, type SpeechRegionOptions, speechRegions } from './speech-regions';
import { toReferenceOptions } from './testing/reference-options';

/**
 * The port against the reference itself: silero-vad 6.2.3's get_speech_timestamps_from_probs (bench/vad/
 * silero_reference.py, in SPEECH_PYTHON) on seeded probability sequences that wander like real VAD output, under
 * option sets that exercise every branch (hysteresis, padding halves, max-speech cuts with and without pauses).
 */
const FRAMES = 3000;

function wanderingProbabilities(seed: number): number[] {
  const noise = new Float32Array(FRAMES);
  new SeededNormal(seed).fill(noise, 1);
  const out: number[] = [];
  let level = 0;
  for (let i = 0; i < FRAMES; i += 1) {
    // A slow random walk through a logistic: long stretches of speech and silence with ragged edges.
    level = Math.max(-6, Math.min(6, level * 0.97 + (noise[i] as number) * 0.9));
    out.push(Math.round((1 / (1 + Math.exp(-level))) * 1e6) / 1e6);
  }
  return out;
}

const OPTION_SETS: Array<[string, Partial<SpeechRegionOptions>]> = [
  ['reference defaults', {}],
  ['our auto settings', { minSilenceMs: 500, speechPadMs: 200, maxSpeechSeconds: 30 }],
  ['short max speech, wide pad', { maxSpeechSeconds: 3, speechPadMs: 200, minSilenceMs: 800 }],
  ['high threshold, explicit neg threshold', { threshold: 0.8, negThreshold: 0.3, minSpeechMs: 100 }],
  ['no padding, no min silence', { speechPadMs: 0, minSilenceMs: 0, minSpeechMs: 0 }],
];

describe('speechRegions against silero-vad 6.2.3 itself', () => {
  it('gives exactly the reference regions for every seed and option set', () => {
    const cases = [1, 2, 3, 4].flatMap((seed) =>
      OPTION_SETS.map(([name, over]) => {
        const options = { ...SILERO_REFERENCE_DEFAULTS, ...over };
        // An audio length that is not a whole number of frames, as real files are.
        return { name, seed, probabilities: wanderingProbabilities(seed), samples: FRAMES * 512 - 77, options };
      }),
    );
    const request = { cases: cases.map((c) => ({ probabilities: c.probabilities, samples: c.samples, options: toReferenceOptions(c.options) })) };
    const reference = JSON.parse(runPythonScript('bench/vad/silero_reference.py', [], JSON.stringify(request), 120_000)) as {
      regions: Array<Array<{ start: number; end: number }>>;
    };
    let regionsSeen = 0;
    cases.forEach((c, i) => {
      const ours = speechRegions(c.probabilities, c.samples, c.options);
      expect({ case: `${c.name}, seed ${c.seed}`, regions: ours }).toEqual({ case: `${c.name}, seed ${c.seed}`, regions: reference.regions[i] });
      regionsSeen += ours.length;
    });
    expect(regionsSeen).toBeGreaterThan(100);
  });
});
