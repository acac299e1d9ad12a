import type { ApiProcess } from './support/api-process';
import { AUDIO_MUTATIONS } from './support/fuzz/audio-mutations';
import { type FuzzReport, formatFuzzReport, runFuzz } from './support/fuzz/fuzz-run';
import { type AfterFuzz, fuzzSeedFiles, inspectAfterFuzz, startFuzzApi } from './support/fuzz/fuzz-scenario';
import { MULTIPART_MUTATIONS } from './support/fuzz/multipart-mutations';

/**
 * The CI-sized upload fuzz (bench/fuzz.ts runs ≥ 10,000 cases): 3,000 mutated audio files in all six containers and
 * 1,500 hand-broken multipart requests over raw sockets, through the built API process. A fixed seed keeps CI
 * deterministic; FUZZ_SEED=<n> replays another run (bench/fuzz.ts prints a fresh seed each time).
 * About 75 s on the quiet 2-core machine (4,500 cases at ~60/s), a few minutes under load.
 */
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261125);
const AUDIO_CASES = 3000;
const MULTIPART_CASES = 1500;

describe('upload fuzzing (built API, real upload path)', () => {
  let api: ApiProcess;
  let pidBefore: number | undefined;
  let report: FuzzReport;
  let after: AfterFuzz;

  beforeAll(async () => {
    const seeds = fuzzSeedFiles();
    api = await startFuzzApi();
    pidBefore = api.child.pid;
    report = await runFuzz({ baseUrl: api.url, seed: SEED, audioCases: AUDIO_CASES, multipartCases: MULTIPART_CASES, concurrency: 6, seeds });
    after = await inspectAfterFuzz(api);
    process.stdout.write(`${formatFuzzReport(report)}\n`);
  }, 400_000);

  afterAll(async () => api?.stop());

  it('answers every case with a documented status and a stable code, never a 500 (replay lines name seed and case)', () => {
    expect(report.failures).toEqual([]);
    expect(report.cases).toBe(AUDIO_CASES + MULTIPART_CASES);
    expect([...report.byOutcome.keys()].filter((outcome) => /^5\d\d/.test(outcome) && outcome !== '503 ENGINE_BUSY')).toEqual([]);
  });

  it('ran every mutation kind and reached the decoder and the engine, not only the parser', () => {
    for (const kind of AUDIO_MUTATIONS) expect(report.byKind.get(`audio ${kind}`)?.size ?? 0).toBeGreaterThan(0);
    for (const kind of MULTIPART_MUTATIONS) expect(report.byKind.get(`multipart ${kind}`)?.size ?? 0).toBeGreaterThan(0);
    for (const outcome of ['200', '400 INVALID_OPTION', '415 UNSUPPORTED_MEDIA', '422 UNDECODABLE_AUDIO', '503 ENGINE_BUSY']) {
      expect(report.byOutcome.get(outcome) ?? 0).toBeGreaterThan(0);
    }
  });

  it('is the same healthy process afterwards, with no temp folder, zombie or ffmpeg left behind', () => {
    expect(after.exited).toBe(false);
    expect(after.pid).toBe(pidBefore);
    expect(after.healthy).toBe(true);
    expect(after.leftoverTempEntries).toEqual([]);
    expect(after.zombies).toEqual([]);
    expect(after.ffmpegChildren).toEqual([]);
    expect(after.errorLogLines).toEqual([]);
  });
});
