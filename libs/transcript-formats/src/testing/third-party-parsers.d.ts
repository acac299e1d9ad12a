// These parsers ship no types; only what the tests use is declared.
declare module 'webvtt-parser' {
  export interface WebVttCue {
    startTime: number;
    endTime: number;
    text: string;
  }
  export interface WebVttTree {
    cues: WebVttCue[];
    errors: Array<{ message: string; line: number }>;
  }
  export class WebVTTParser {
    parse(input: string, mode?: 'metadata' | 'chapters'): WebVttTree;
  }
}

declare module 'node-webvtt' {
  export interface NodeWebVttCue {
    identifier: string;
    start: number;
    end: number;
    text: string;
  }
  /** Strict by default: throws on the first error (a cue ending before it starts, a bad timestamp, …). */
  export function parse(input: string, options?: { strict?: boolean }): { valid: boolean; cues: NodeWebVttCue[]; errors: unknown[] };
}
