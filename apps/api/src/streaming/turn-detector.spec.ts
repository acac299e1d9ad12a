import { VAD_FRAME_SAMPLES } from '../vad/speech-detector.port';
import { type TurnEvent, TurnDetector } from './turn-detector';

const FRAME_MS = 32;
/** Frames of the given probability for the given milliseconds. */
const run = (probability: number, ms: number) => Array<number>(Math.round(ms / FRAME_MS)).fill(probability);

function eventsOf(detector: TurnDetector, probabilities: number[]): Array<TurnEvent & { frame: number }> {
  return probabilities.flatMap((p, frame) => {
    const event = detector.push(p);
    return event ? [{ ...event, frame }] : [];
  });
}

describe('TurnDetector', () => {
  const settings = { threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: 500 };

  it('starts at the first speech frame and stops where a long enough silence began', () => {
    const detector = new TurnDetector(settings, 16_000 * 30);
    const events = eventsOf(detector, [...run(0.05, 320), ...run(0.9, 960), ...run(0.02, 640), ...run(0.9, 64)]);
    expect(events).toEqual([
      { kind: 'start', atSample: 10 * VAD_FRAME_SAMPLES, frame: 10 },
      // Silence began at frame 40; 16 frames (512 ms ≥ 500 ms) later the turn ends.
      { kind: 'stop', atSample: 40 * VAD_FRAME_SAMPLES, forced: false, frame: 55 },
      { kind: 'start', atSample: 60 * VAD_FRAME_SAMPLES, frame: 60 },
    ]);
    expect(detector.speaking).toBe(true);
  });

  it('a pause shorter than silence_duration_ms does not end the turn; frames between the two thresholds do not break speech', () => {
    const detector = new TurnDetector(settings, 16_000 * 30);
    const events = eventsOf(detector, [...run(0.9, 320), ...run(0.1, 320), ...run(0.9, 320), ...run(0.4, 800), ...run(0.9, 96)]);
    expect(events.map((event) => event.kind)).toEqual(['start']);
  });

  it('cuts a turn of continuous speech at the longest turn and starts the next at once', () => {
    const detector = new TurnDetector(settings, 20 * VAD_FRAME_SAMPLES);
    const events = eventsOf(detector, run(0.9, 32 * 45));
    expect(events).toEqual([
      { kind: 'start', atSample: 0, frame: 0 },
      { kind: 'stop', atSample: 20 * VAD_FRAME_SAMPLES, forced: true, frame: 19 },
      { kind: 'start', atSample: 20 * VAD_FRAME_SAMPLES, frame: 20 },
      { kind: 'stop', atSample: 40 * VAD_FRAME_SAMPLES, forced: true, frame: 39 },
      { kind: 'start', atSample: 40 * VAD_FRAME_SAMPLES, frame: 40 },
    ]);
  });

  it('honours the threshold and silence duration it is given', () => {
    const strict = new TurnDetector({ ...settings, threshold: 0.95, silenceDurationMs: 200 }, 16_000 * 30);
    expect(eventsOf(strict, [...run(0.9, 320), ...run(0.97, 320), ...run(0.5, 224)]).map((event) => [event.kind, event.frame])).toEqual([
      ['start', 10],
      ['stop', 26],
    ]);
  });
});
