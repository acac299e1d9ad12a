// The package ships no types; only what the tests use is declared.
declare module 'webvtt-parser' {
  export interface WebVttCue {
    startTime: number;
    endTime: number;
    text: string;
  }
  export class WebVTTParser {
    parse(input: string, mode?: 'metadata' | 'chapters'): { cues: WebVttCue[]; errors: Array<{ message: string; line: number }> };
  }
}
