// Upload fuzzing, long run: seeded, reproducible cases through the real upload path of the built API process —
// mutated audio in all six containers (bit flips, byte runs, truncation, insertion/deletion, header-field and huge-size
// corruption, splices of two formats, zero/0xFF fills) and hand-broken multipart requests over raw sockets (boundaries,
// Content-Length lies, huge header lines, odd Content-Disposition, extra file fields, wrong types, chunked encoding,
// early close). Each answer must be a documented status with a stable code, never a 500; afterwards the API must be the
// same healthy process with no temp folder, zombie or ffmpeg left. Prints counts per mutation kind and per status.
// Judged by: failures = 0 and a clean process afterwards (exit 1 otherwise).
// Run: node scripts/run-ts.mjs bench/fuzz.ts [--seed N] [--audio 7000] [--multipart 3500] [--concurrency 6] [--case I]
//      (needs a built API: npx nx build api). Failing cases' bytes go to .cache/fuzz-failures/<seed>-<case>.bin.
import { workspaceCacheDir } from '@speech/test-support';
import { formatFuzzReport, runFuzz } from '../apps/api/test/e2e/support/fuzz/fuzz-run';
import { fuzzSeedFiles, inspectAfterFuzz, startFuzzApi } from '../apps/api/test/e2e/support/fuzz/fuzz-scenario';
import { randomSeed } from '../apps/api/test/e2e/support/fuzz/prng';

function flag(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const seed = Number(flag('seed') ?? process.env['FUZZ_SEED'] ?? randomSeed());
  const only = flag('case');
  const audioCases = Number(flag('audio') ?? 7000);
  const multipartCases = Number(flag('multipart') ?? 3500);
  console.log(`seed ${seed} (replay: --seed ${seed}); ${audioCases} audio + ${multipartCases} multipart cases`);
  const seeds = fuzzSeedFiles();
  const api = await startFuzzApi();
  const pidBefore = api.child.pid;
  try {
    const report = await runFuzz({
      baseUrl: api.url,
      seed,
      audioCases,
      multipartCases,
      concurrency: Number(flag('concurrency') ?? 6),
      seeds,
      onlyCase: only === undefined ? undefined : Number(only),
      failureDir: workspaceCacheDir('fuzz-failures'),
      onProgress: (done, total) => {
        if (done % 500 === 0) console.error(`${done}/${total}`);
      },
    });
    console.log(formatFuzzReport(report));
    const after = await inspectAfterFuzz(api);
    console.log(`\nafter the run: same pid ${after.pid === pidBefore && !after.exited}, healthy ${after.healthy}, ` +
      `temp entries ${after.leftoverTempEntries.length}, zombies ${after.zombies.length}, ffmpeg children ${after.ffmpegChildren.length}, ` +
      `error log lines ${after.errorLogLines.length}`);
    for (const line of after.errorLogLines.slice(0, 5)) console.log(`  ! ${line.slice(0, 400)}`);
    const clean = after.pid === pidBefore && !after.exited && after.healthy && after.leftoverTempEntries.length === 0 && after.zombies.length === 0 && after.ffmpegChildren.length === 0;
    console.log(`judged by: failures = ${report.failures.length} (must be 0); clean process afterwards: ${clean}`);
    if (report.failures.length > 0 || !clean) process.exitCode = 1;
  } finally {
    await api.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
