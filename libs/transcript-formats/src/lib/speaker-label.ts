/**
 * How subtitles name the speaker of a diarized cue. SRT has no speaker markup, so the cue's first line starts with
 * the label and a colon, as subtitles for the deaf and hard of hearing name speakers ("A: Hello there."); square
 * brackets are left to sound descriptions ("[music]"). WebVTT has voice spans: `<v A>Hello there.</v>`.
 */
export function speakerLabelToken(speaker: string): string {
  return `${speaker}:`;
}

/** The SRT form: the label before the cue's first line. */
export function withSpeakerLabel(lines: readonly string[], speaker: string | undefined): string[] {
  if (speaker === undefined || lines.length === 0) return [...lines];
  return [`${speakerLabelToken(speaker)} ${lines[0]}`, ...lines.slice(1)];
}

/**
 * The WebVTT voice span's annotation: a cue span start tag's annotation may hold any text but `&`, `<`, `>` and line
 * breaks must not appear raw (WebVTT §4.2.2), so they are escaped, and line breaks become spaces.
 */
export function voiceAnnotation(speaker: string): string {
  return speaker.replace(/[\r\n]+/g, ' ').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
