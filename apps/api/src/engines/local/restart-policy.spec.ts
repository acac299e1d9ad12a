import { decideAfterExit, type ExitDecision, type ExitFacts, MAX_FAILED_STARTS, STABLE_AFTER_MS } from './restart-policy';

const limits = { initialBackoffMs: 250, maxBackoffMs: 10_000 };
const crash: ExitFacts = { fatal: false, wasReady: true, livedMs: 1000, failedStarts: 0, backoffMs: 250 };

describe('decideAfterExit', () => {
  const cases: Array<[string, Partial<ExitFacts>, ExitDecision]> = [
    ['a fatal report gives up whatever else happened', { fatal: true, wasReady: false, failedStarts: 2 }, { kind: 'give-up', why: 'fatal', failedStarts: 2 }],
    ['a crash after ready restarts after the current back-off and doubles it', {}, { kind: 'restart', delayMs: 250, nextBackoffMs: 500, failedStarts: 0 }],
    ['repeated crashes keep doubling', { backoffMs: 4000 }, { kind: 'restart', delayMs: 4000, nextBackoffMs: 8000, failedStarts: 0 }],
    ['the back-off stops growing at the maximum', { backoffMs: 8000 }, { kind: 'restart', delayMs: 8000, nextBackoffMs: 10_000, failedStarts: 0 }],
    ['a worker up STABLE_AFTER_MS restarts with the initial back-off', { livedMs: STABLE_AFTER_MS, backoffMs: 8000 }, { kind: 'restart', delayMs: 250, nextBackoffMs: 500, failedStarts: 0 }],
    ['a worker up just under STABLE_AFTER_MS keeps its back-off', { livedMs: STABLE_AFTER_MS - 1, backoffMs: 8000 }, { kind: 'restart', delayMs: 8000, nextBackoffMs: 10_000, failedStarts: 0 }],
    ['a death before ready counts as a failed start and restarts', { wasReady: false }, { kind: 'restart', delayMs: 250, nextBackoffMs: 500, failedStarts: 1 }],
    ['the last allowed death before ready still restarts', { wasReady: false, failedStarts: MAX_FAILED_STARTS - 2 }, { kind: 'restart', delayMs: 250, nextBackoffMs: 500, failedStarts: MAX_FAILED_STARTS - 1 }],
    ['MAX_FAILED_STARTS deaths before ready in a row give up', { wasReady: false, failedStarts: MAX_FAILED_STARTS - 1 }, { kind: 'give-up', why: 'cannot-start', failedStarts: MAX_FAILED_STARTS }],
    ['a death after ready does not count towards the failed starts', { wasReady: true, failedStarts: MAX_FAILED_STARTS - 1 }, { kind: 'restart', delayMs: 250, nextBackoffMs: 500, failedStarts: MAX_FAILED_STARTS - 1 }],
  ];

  it.each(cases)('%s', (_name, facts, expected) => {
    expect(decideAfterExit({ ...crash, ...facts }, limits)).toEqual(expected);
  });
});
