import { PIPELINE_DEFAULTS, pipelineFormFields } from './pipeline-fields';

describe('pipeline form fields', () => {
  it('sends nothing for the API defaults, so a default request is unchanged', () => {
    expect(pipelineFormFields(undefined)).toEqual([]);
    expect(pipelineFormFields(PIPELINE_DEFAULTS)).toEqual([]);
  });

  it('asks for diarization with an exact count, a range, or an estimate', () => {
    expect(pipelineFormFields({ ...PIPELINE_DEFAULTS, speakers: {} })).toEqual([['diarize', 'true']]);
    expect(pipelineFormFields({ ...PIPELINE_DEFAULTS, speakers: { count: 3 } })).toEqual([['diarize', 'true'], ['num_speakers', '3']]);
    expect(pipelineFormFields({ ...PIPELINE_DEFAULTS, speakers: { min: 2, max: 5 } })).toEqual([
      ['diarize', 'true'],
      ['min_speakers', '2'],
      ['max_speakers', '5'],
    ]);
  });

  it('turns VAD off and the hallucination filter on only when asked', () => {
    expect(pipelineFormFields({ vad: false, hallucinationFilter: true })).toEqual([
      ['vad', 'false'],
      ['hallucination_filter', 'true'],
    ]);
  });
});
