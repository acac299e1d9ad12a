/** `HH:MM:SS<sep>mmm` from seconds; SRT uses a comma, WebVTT a dot. Negative times clamp to zero, milliseconds round half up. */
export function formatTimestamp(seconds: number, separator: ',' | '.'): string {
  return formatMilliseconds(Math.round(seconds * 1000), separator);
}

/** The same from whole milliseconds (the cue rules work on the millisecond grid the files are written in). */
export function formatMilliseconds(milliseconds: number, separator: ',' | '.'): string {
  const totalMs = Math.max(0, Math.round(milliseconds));
  const ms = totalMs % 1000;
  const totalSeconds = Math.floor(totalMs / 1000);
  const s = totalSeconds % 60;
  const m = Math.floor(totalSeconds / 60) % 60;
  const h = Math.floor(totalSeconds / 3600);
  return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}${separator}${pad(ms, 3)}`;
}

/** Milliseconds from `HH:MM:SS.mmm`, `HH:MM:SS,mmm` or `MM:SS.mmm`; undefined when it is none of them. */
export function parseTimestamp(text: string): number | undefined {
  const match = /^(?:(\d{2,}):)?([0-5]\d):([0-5]\d)[.,](\d{3})$/.exec(text.trim());
  if (!match) return undefined;
  const [, h = '0', m = '0', s = '0', ms = '0'] = match;
  return ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000 + Number(ms);
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
