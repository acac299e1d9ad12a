import { JobProgress } from './job-progress';
import type { AudioWindow } from '../windowing/silence-splitter';

const window = (index: number, start: number, duration: number): AudioWindow => ({
  index,
  startSample: start * 16000,
  endSample: (start + duration) * 16000,
  startSeconds: start,
  durationSeconds: duration,
});

describe('JobProgress', () => {
  afterEach(() => jest.useRealTimers());

  it('counts finished windows and the running window share, by audio seconds', () => {
    const progress = new JobProgress(100);
    expect(progress.snapshot()).toEqual({ progress: 0, etaSeconds: null });
    progress.windowDone(window(0, 0, 40), true);
    expect(progress.snapshot().progress).toBeCloseTo(0.4);
    expect(progress.snapshot(window(1, 40, 60), 0.5).progress).toBeCloseTo(0.7);
    expect(progress.snapshot(window(1, 40, 60), 7).progress).toBeCloseTo(1);
  });

  it('estimates the time left from the speed of this attempt only (reused windows cost nothing)', () => {
    jest.useFakeTimers({ now: 0 });
    const progress = new JobProgress(100);
    progress.windowDone(window(0, 0, 50), true);
    jest.setSystemTime(10_000);
    progress.windowDone(window(1, 50, 25), false);
    // 25 s of audio in 10 s → 25 s left take 10 s
    expect(progress.snapshot()).toEqual({ progress: 0.75, etaSeconds: 10 });
  });
});
