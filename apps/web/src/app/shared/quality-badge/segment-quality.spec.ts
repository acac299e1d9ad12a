import type { TranscriptionResult } from '@speech/contracts';
import { A_DIARIZED_RESULT } from '../../../testing/fixtures';
import { qualityFlags } from './segment-quality';

describe('segment quality', () => {
  it("takes the API's flags as they are, in the contract's order", () => {
    const result: TranscriptionResult = {
      ...A_DIARIZED_RESULT,
      segments: [{ ...A_DIARIZED_RESULT.segments[2], flags: ['known_hallucination', 'outside_speech'] }, ...A_DIARIZED_RESULT.segments.slice(3)],
    };
    expect(qualityFlags(result)).toEqual([['outside_speech', 'known_hallucination'], []]);
    // Segment 0 has a low avg_logprob of its own, but the API flags, so its verdict stands.
    expect(qualityFlags({ ...A_DIARIZED_RESULT, segments: A_DIARIZED_RESULT.segments.map((s) => ({ ...s, avg_logprob: -1.5 })) })).toEqual([
      [],
      ['low_confidence'],
      ['outside_speech', 'known_hallucination'],
      [],
    ]);
  });

  it("reads low confidence from avg_logprob when the API flags nothing (Whisper's -1 threshold)", () => {
    const segments = [-0.4, -1, -1.01, undefined].map((avg_logprob, id) => ({ id, start: id, end: id + 1, text: ' x', avg_logprob }));
    expect(qualityFlags({ text: '', language: 'en', duration: 4, segments })).toEqual([[], [], ['low_confidence'], []]);
  });
});
