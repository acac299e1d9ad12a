import type { TranscriptionResult, TranscriptSegment, TranscriptWord } from '@speech/contracts';
import { endKeepingLength } from '../../vad/chunk-timeline';

/** A speech region in seconds, as VAD found it (its padding included), on the result's timeline. */
export interface SpeechSpan {
  readonly start: number;
  readonly end: number;
}

export interface SpeechEdgeOptions {
  /** VAD's padding on each side of a region: speech itself starts this much after a region's start. */
  readonly padSeconds: number;
  /** A pause at least this long between two words of one segment splits the segment there. */
  readonly splitPauseSeconds: number;
}

/** The `auto` VAD's padding (200 ms, vad/vad-options.ts) and the "no segment spans a pause of >= 1 s". */
export const DEFAULT_SPEECH_EDGES: SpeechEdgeOptions = { padSeconds: 0.2, splitPauseSeconds: 1 };

/**
 * Puts the engine's times back on the speech VAD found, after the engine and before tidy. Whisper's timestamps
 * drift by a few hundred ms; around a pause that drift puts a first word (and its segment's start) in the silence
 * before the speech, which is what utterance-start error measures and what subtitles show too early.
 * - A word or segment that starts in a pause starts at the next region; one that ends in a pause ends at the
 *   region before it.
 * - The first word of a region never starts inside the region's leading padding (silence VAD added on purpose).
 * - A segment with words that spans a pause of `splitPauseSeconds` or more is split between the words on either
 *   side, so no segment covers the pause.
 * Segments without words are moved to the edges and out of a region's leading padding, like a region's first word. No regions (VAD found no speech or was off): unchanged.
 */
export function fitToSpeech(result: TranscriptionResult, regions: readonly SpeechSpan[], options: SpeechEdgeOptions = DEFAULT_SPEECH_EDGES): TranscriptionResult {
  if (regions.length === 0) return result;
  const edges = new SpeechEdges(regions, options.padSeconds);
  const segments = result.segments.flatMap((segment) => fitSegment(segment, edges, options.splitPauseSeconds));
  return { ...result, segments: segments.map((segment, index) => withLength(segment, segments[index + 1], edges)) };
}

/**
 * Whisper gives some short segments no duration at all (t0 = t1: "first name" at [365.54, 365.54] on the eval set's
 * long recording): no subtitle cue can show it and it overlaps no speech. Such a segment with text lasts to the end of
 * the speech region it starts in, or to the next segment's start if that comes first.
 */
function withLength(segment: TranscriptSegment, next: TranscriptSegment | undefined, edges: SpeechEdges): TranscriptSegment {
  if (segment.end > segment.start || segment.text.trim() === '') return segment;
  const end = Math.min(edges.regionEndOf(segment.start), next ? next.start : Infinity);
  return end > segment.start ? { ...segment, end } : segment;
}

function fitSegment(segment: TranscriptSegment, edges: SpeechEdges, splitPause: number): TranscriptSegment[] {
  if (!segment.words || segment.words.length === 0) {
    // The same leading-padding rule as a region's first word, so a segment's start does not depend on whether the
    // caller asked for word timestamps (an SRT and the JSON of the same audio agree).
    const inSpeech = edges.startAt(segment.start);
    const start = Math.max(inSpeech, edges.speechStartOf(edges.regionIndexOf(inSpeech)));
    return [{ ...segment, start, end: endKeepingLength(start, edges.endAt(segment.end), segment.end - segment.start, edges.regionEndOf(start)) }];
  }
  const words = fitWords(segment.words, edges, splitPause);
  const groups = splitAtPauses(words, edges, splitPause);
  if (groups.length === 1) {
    const first = words[0] as TranscriptWord;
    const last = words[words.length - 1] as TranscriptWord;
    // The segment's own edges may include punctuation time: kept where they are in the words' speech.
    const start = Math.min(Math.max(edges.startAt(segment.start), edges.speechStartOf(edges.regionIndexOf(first.start))), first.start);
    const end = Math.max(Math.min(edges.endAt(segment.end), edges.regionEndOf(last.end)), last.end);
    return [{ ...segment, start, end, words }];
  }
  return groups.map((group) => ({
    ...segment,
    start: (group[0] as TranscriptWord).start,
    end: (group[group.length - 1] as TranscriptWord).end,
    text: ` ${group.map((word) => word.word.trim()).join(' ')}`,
    words: group,
  }));
}

/**
 * Words moved out of pauses; a region's first word moved past the region's leading padding. A word whose start moved
 * forward and which would keep less than half its length keeps all of it (Whisper timed it early, not short), up to
 * the end of its region and the next word's start: cutting its end where the padding ends left "8." at
 * [280.67, 280.69] on the eval set's 10 min recording (true [280.68, 281.13]), a segment with almost no speech under it.
 */
function fitWords(words: readonly TranscriptWord[], edges: SpeechEdges, splitPause: number): TranscriptWord[] {
  let previousRegion = -1;
  const fitted = words.map((word) => {
    const [inSpeechStart, inSpeechEnd] = wordSide(edges.startAt(word.start), edges.endAt(word.end), edges, splitPause);
    let start = inSpeechStart;
    const region = edges.regionIndexOf(start);
    if (region !== previousRegion) start = Math.max(start, edges.speechStartOf(region));
    previousRegion = region;
    const length = word.end - word.start;
    const regionEnd = edges.regionEndOf(start);
    let end = endKeepingLength(start, inSpeechEnd, length, regionEnd);
    if (start > word.start && end - start < length / 2) end = Math.max(end, Math.min(regionEnd, start + length));
    return { ...word, start, end };
  });
  return fitted.map((word, index) => {
    const next = fitted[index + 1];
    return next && next.start >= word.start && word.end > next.start ? { ...word, end: next.start } : word;
  });
}

/**
 * A word stretched across a long pause (Whisper late by a word: "menu. Simultaneous" ending one utterance) belongs
 * to the side holding more of it: it starts at the next region, or ends with the region it started in.
 */
function wordSide(start: number, end: number, edges: SpeechEdges, splitPause: number): [number, number] {
  if (edges.pauseBetween(start, end) < splitPause) return [start, end];
  const before = edges.regionEndOf(start) - start;
  const after = end - edges.regionStartOf(end);
  return after >= before ? [edges.regionStartOf(end), end] : [start, edges.regionEndOf(start)];
}

/** Consecutive words, cut wherever the silence between two of them is a pause of at least `splitPause`. */
function splitAtPauses(words: readonly TranscriptWord[], edges: SpeechEdges, splitPause: number): TranscriptWord[][] {
  const groups: TranscriptWord[][] = [];
  let current: TranscriptWord[] = [];
  for (const word of words) {
    const before = current[current.length - 1];
    if (before && edges.pauseBetween(before.end, word.start) >= splitPause) {
      groups.push(current);
      current = [];
    }
    current.push(word);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** Look-ups on sorted, disjoint regions. */
class SpeechEdges {
  constructor(
    private readonly regions: readonly SpeechSpan[],
    private readonly pad: number,
  ) {}

  /** The last region starting at or before `time`, or -1 before the first. */
  private lastStartingBy(time: number): number {
    let lo = 0;
    let hi = this.regions.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((this.regions[mid] as SpeechSpan).start <= time) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  private at(index: number): SpeechSpan {
    return this.regions[Math.min(Math.max(index, 0), this.regions.length - 1)] as SpeechSpan;
  }

  /** A start: unchanged in speech; in a pause, the next region's start (after the last region: its end). */
  startAt(time: number): number {
    const index = this.lastStartingBy(time);
    if (index >= 0 && time <= this.at(index).end) return time;
    return index + 1 < this.regions.length ? this.at(index + 1).start : this.at(index).end;
  }

  /** An end: unchanged in speech; in a pause, the previous region's end (before the first region: its start). */
  endAt(time: number): number {
    const index = this.lastStartingBy(time);
    if (index < 0) return this.at(0).start;
    return Math.min(time, this.at(index).end);
  }

  /** The region holding a time already in speech (startAt/endAt output). */
  regionIndexOf(time: number): number {
    return Math.max(this.lastStartingBy(time), 0);
  }

  regionStartOf(time: number): number {
    return this.at(this.regionIndexOf(time)).start;
  }

  regionEndOf(time: number): number {
    return this.at(this.regionIndexOf(time)).end;
  }

  /** Where speech starts in a region: after its leading padding, unless the region is shorter than that. */
  speechStartOf(index: number): number {
    const region = this.at(index);
    return Math.min(region.start + this.pad, region.end);
  }

  /** The length of the pause(s) between two times: the non-speech seconds in [from, to]. */
  pauseBetween(from: number, to: number): number {
    if (to <= from) return 0;
    let speech = 0;
    for (let index = Math.max(this.lastStartingBy(from), 0); index < this.regions.length; index += 1) {
      const region = this.at(index);
      if (region.start >= to) break;
      speech += Math.max(0, Math.min(region.end, to) - Math.max(region.start, from));
    }
    return to - from - speech;
  }
}
