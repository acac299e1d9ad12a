import { diarizationErrorRate, parseRttm } from './diarization-score';

// pyannote.audio's sample.rttm, and one hypothesis our pipeline produced on it (4 speakers, threshold 0.25).
const REFERENCE = `SPEAKER sample 1 6.690 0.430 <NA> <NA> speaker90 <NA> <NA>
SPEAKER sample 1 7.550 0.800 <NA> <NA> speaker91 <NA> <NA>
SPEAKER sample 1 8.320 1.700 <NA> <NA> speaker90 <NA> <NA>
SPEAKER sample 1 9.920 1.110 <NA> <NA> speaker91 <NA> <NA>
SPEAKER sample 1 10.570 4.130 <NA> <NA> speaker90 <NA> <NA>
SPEAKER sample 1 14.490 3.430 <NA> <NA> speaker91 <NA> <NA>
SPEAKER sample 1 18.050 3.440 <NA> <NA> speaker90 <NA> <NA>
SPEAKER sample 1 18.150 0.440 <NA> <NA> speaker91 <NA> <NA>
SPEAKER sample 1 21.780 6.720 <NA> <NA> speaker91 <NA> <NA>
SPEAKER sample 1 27.850 2.150 <NA> <NA> speaker90 <NA> <NA>`;
const HYPOTHESIS = [
  { start: 6.69, end: 7.12, speaker: 'A' }, { start: 7.55, end: 9.75, speaker: 'B' },
  { start: 9.75, end: 11.35, speaker: 'C' }, { start: 11.35, end: 14.15, speaker: 'B' },
  { start: 14.15, end: 17.92, speaker: 'A' }, { start: 18.05, end: 19.45, speaker: 'A' },
  { start: 19.45, end: 21.49, speaker: 'B' }, { start: 21.78, end: 27.58, speaker: 'A' },
  { start: 27.58, end: 30, speaker: 'D' },
];

describe('diarizationErrorRate', () => {
  const reference = parseRttm(REFERENCE);

  it('agrees with pyannote.metrics 4.2 (DiarizationErrorRate, skip_overlap=False) on the same pair', () => {
    // pyannote.metrics: total 24.35, missed 1.89, confusion 6.52, false alarm 0 → DER 0.3454.
    const score = diarizationErrorRate(reference, HYPOTHESIS);
    expect(score.total).toBeCloseTo(24.35, 1);
    expect(score.missed).toBeCloseTo(1.89, 1);
    expect(score.confusion).toBeCloseTo(6.52, 1);
    expect(score.falseAlarm).toBeCloseTo(0, 1);
    expect(score.der).toBeCloseTo(0.3454, 2);
  });

  it('removes the collar on each side of every reference boundary (pyannote collar=0.5 total → 0.25 here)', () => {
    const score = diarizationErrorRate(reference, HYPOTHESIS, 0.25);
    expect(score.total).toBeCloseTo(16.34, 1);
    expect(score.der).toBeCloseTo(0.1475, 2);
  });

  it('is 0 for the reference against itself under other names, and counts a silent hypothesis as all missed', () => {
    const renamed = reference.map((s) => ({ ...s, speaker: s.speaker === 'speaker90' ? 'X' : 'Y' }));
    expect(diarizationErrorRate(reference, renamed).der).toBe(0);
    const silent = diarizationErrorRate(reference, []);
    expect(silent.der).toBe(1);
    expect(silent.missed).toBeCloseTo(silent.total, 5);
  });
});
