import type { TranscriptionResult } from '@speech/contracts';
import type { SpeakerNames } from '../../core/transcripts/speaker-names';

/** A speaker's colour: a chip background and the text colour that reads on it. */
export interface SpeakerColour {
  readonly background: string;
  readonly text: string;
}

/** One entry of a speaker legend: the API's label, the name shown for it, and its colour. */
export interface LegendSpeaker {
  readonly id: string;
  readonly name: string;
  readonly colour: SpeakerColour;
}

/**
 * Okabe–Ito's colour-blind-safe set (plus a grey), ordered so the first speakers get the most distinct hues. Each
 * text colour keeps at least 4.5:1 contrast on its background (WCAG AA; the spec checks it). Colours repeat after
 * eight speakers; the label beside every colour keeps them apart (colour is never the only cue).
 */
export const SPEAKER_PALETTE: readonly SpeakerColour[] = [
  { background: '#0072B2', text: '#FFFFFF' },
  { background: '#E69F00', text: '#000000' },
  { background: '#009E73', text: '#000000' },
  { background: '#CC79A7', text: '#000000' },
  { background: '#56B4E9', text: '#000000' },
  { background: '#D55E00', text: '#000000' },
  { background: '#F0E442', text: '#000000' },
  { background: '#5D5D5D', text: '#FFFFFF' },
];

/**
 * The transcript's speakers in order of first appearance (segments in order, each segment's words after it, then the
 * flat word list). The order, and so each speaker's colour, depends only on the transcript: renaming, searching or
 * hiding segments never recolours anyone.
 */
export function speakersInOrder(result: TranscriptionResult): string[] {
  const seen = new Set<string>();
  const note = (speaker: string | undefined) => speaker !== undefined && seen.add(speaker);
  for (const segment of result.segments) {
    note(segment.speaker);
    segment.words?.forEach((word) => note(word.speaker));
  }
  result.words?.forEach((word) => note(word.speaker));
  return [...seen];
}

export function speakerColour(index: number): SpeakerColour {
  return SPEAKER_PALETTE[index % SPEAKER_PALETTE.length];
}

/** The legend of a transcript: its speakers in order of appearance, each with its colour and the name to show. */
export function legendSpeakers(result: TranscriptionResult, names: SpeakerNames): LegendSpeaker[] {
  return speakersInOrder(result).map((id, index) => ({ id, name: names[id] ?? id, colour: speakerColour(index) }));
}
