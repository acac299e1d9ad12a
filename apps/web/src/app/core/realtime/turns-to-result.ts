import type { TranscriptionResult } from '@speech/contracts';
import type { RealtimeTurn } from './realtime-session';

/** Completed turns as a TranscriptionResult (one segment per turn, times from the server's VAD) for the usual downloads. */
export function turnsToResult(turns: readonly RealtimeTurn[], language: string): TranscriptionResult {
  const spoken = turns.filter((turn) => (turn.final ?? turn.partial).trim() !== '');
  const segments = spoken.map((turn, id) => {
    const start = (turn.startMs ?? 0) / 1000;
    return { id, start, end: Math.max(start, (turn.endMs ?? turn.startMs ?? 0) / 1000), text: (turn.final ?? turn.partial).trim() };
  });
  return {
    text: segments.map((segment) => segment.text).join(' '),
    language,
    duration: segments.reduce((latest, segment) => Math.max(latest, segment.end), 0),
    segments,
  };
}
