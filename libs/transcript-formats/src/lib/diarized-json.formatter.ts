import type { DiarizedTranscription, TranscriptionResult } from '@speech/contracts';

/**
 * OpenAI's `diarized_json` (the official SDK's `TranscriptionDiarized`): one `transcript.text.segment` per segment
 * with its speaker, and usage by audio duration. A segment without a speaker (a transcript that was not diarized)
 * is labelled "A": the shape requires a speaker, and one voice is all such a transcript claims.
 */
export function formatDiarizedJson(result: TranscriptionResult): DiarizedTranscription {
  return {
    task: 'transcribe',
    duration: round(result.duration),
    text: result.text,
    segments: result.segments.map((segment, index) => ({
      type: 'transcript.text.segment',
      id: `seg_${index}`,
      start: round(segment.start),
      end: round(segment.end),
      speaker: segment.speaker ?? 'A',
      text: segment.text.trim(),
    })),
    usage: { type: 'duration', seconds: Math.ceil(result.duration) },
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
