import { DomainError } from '../common/domain-error';
import { subtitleFieldsOf } from '../pipeline/formatters/subtitle-fields';
import { parseNativeOptions, parseOpenAiOptions } from '../pipeline/transcribe-options.parser';
import { storedOptions } from './job-options';
import { parseJobRequest } from './job-request';

// Beside jobs because it follows the fields from both routes' parser into a job's stored options.

describe('subtitle fields on the transcription routes', () => {
  it('are absent unless sent, so SRT/VTT keep one cue per segment', () => {
    expect(subtitleFieldsOf({ response_format: 'srt' })).toBeUndefined();
    expect(parseNativeOptions({ response_format: 'srt' }).subtitles).toBeUndefined();
    expect(parseNativeOptions({ response_format: 'srt' }).wordTimestamps).toBe(false);
  });

  it('are read on /transcribe and /v1 and turn word timestamps on (cues are split at words)', () => {
    const native = parseNativeOptions({ response_format: 'vtt', max_line_width: '32', highlight_words: 'true' });
    expect(native.subtitles).toEqual({ maxLineWidth: 32, highlightWords: true });
    expect(native.wordTimestamps).toBe(true);
    expect(parseOpenAiOptions({ response_format: 'srt', max_cue_duration: '4' }, 'transcribe').subtitles).toEqual({ maxCueDuration: 4 });
  });

  it('are kept in a job’s options as wire fields', () => {
    const job = parseJobRequest({ response_format: 'srt', max_line_count: '1', min_cue_gap: '0.1' });
    const stored = storedOptions(job.options);
    expect(stored).toMatchObject({ max_line_count: 1, min_cue_gap: 0.1, word_timestamps: true });
    expect(subtitleFieldsOf(stored)).toEqual({ maxLineCount: 1, minCueGap: 0.1 });
  });

  it('refuse an invalid value with INVALID_SUBTITLE_OPTION naming the field', () => {
    const error = (() => {
      try {
        parseNativeOptions({ max_line_width: '500' });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'INVALID_SUBTITLE_OPTION', details: { param: 'max_line_width' } });
    expect((error as Error).message).toMatch(/from 10 to 200/);
  });
});
