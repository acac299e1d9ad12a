import type { TranscriptionResult } from '@speech/contracts';
import { formatResponse } from '@speech/transcript-formats';
import { compressionRatio } from '../segment-quality/compression-ratio';
import { formatResult } from './format-result';

// The formats themselves are specified in libs/transcript-formats; here only what the API adds: zlib.
const result: TranscriptionResult = {
  text: 'na na na na na na na na na na na na',
  language: 'en',
  duration: 3,
  segments: [
    { id: 0, start: 0, end: 3, text: ' na na na na na na na na na na na na' },
    { id: 1, start: 3, end: 3, text: '' },
  ],
};
const repeated = ' na na na na na na na na na na na na';
const base = { task: 'transcribe', temperature: 0, granularities: ['segment'], flavour: 'openai' } as const;

describe('formatResult', () => {
  it("prefers what the segment carries (the pipeline's ratio, the final temperature, flags) over recomputing", () => {
    const judged: TranscriptionResult = {
      ...result,
      segments: [{ id: 0, start: 0, end: 3, text: repeated, compression_ratio: 3.5, temperature: 0.4, flags: ['repetition'] }],
    };
    const verbose = JSON.parse(formatResult(judged, { ...base, format: 'verbose_json' }).body);
    expect(verbose.segments[0]).toMatchObject({ compression_ratio: 3.5, temperature: 0.4, flags: ['repetition'] });
  });

  it('answers verbose_json with the zlib measure and every other format as the shared formatters do', () => {
    const verbose = JSON.parse(formatResult(result, { ...base, format: 'verbose_json' }).body);
    expect(verbose.segments[0].compression_ratio).toBe(Math.round(compressionRatio(repeated) * 1000) / 1000);
    for (const format of ['json', 'text', 'srt', 'vtt'] as const) {
      expect(formatResult(result, { ...base, format, subtitles: { maxLineWidth: 12 } })).toEqual(formatResponse(result, { ...base, format, subtitles: { maxLineWidth: 12 } }));
    }
  });
});
