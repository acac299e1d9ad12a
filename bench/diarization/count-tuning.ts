/**
 * The speaker-count estimate alone, on cached embeddings (embedding-cache.ts), so a change to clustering is judged in
 * seconds: count accuracy and DER (0.25 s collar, oracle speech regions) per seed set, and the conversations missed.
 *   node scripts/run-ts.mjs bench/diarization/count-tuning.ts [--variants shipped,silhouette,spectral,spectral±1,split] [--sets 1-40,100-119,200-219] [--seconds 60]
 * Seeds 1–40 are the tuning set; 100–119 and 200–219 are held out (report them, do not tune on them). The first run
 * embeds every conversation once (about a second each on one core).
 */
import { diarizationErrorRate } from '@speech/test-support';

import { speakerTurns } from '../../apps/api/src/diarization/speaker-turns';
import { COUNT_VARIANTS } from './count-variants';
import { cachedConversations } from './embedding-cache';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] as string) : fallback;
};

async function main(): Promise<void> {
  const seconds = Number(arg('--seconds', '60'));
  for (const name of arg('--variants', 'shipped').split(',')) {
    const variant = COUNT_VARIANTS[name];
    if (!variant)
      throw new Error(
        `--variants ${name}: one of ${Object.keys(COUNT_VARIANTS).join(', ')}`,
      );
    for (const set of arg('--sets', '1-40,100-119,200-219').split(',')) {
      const [first, last] = set.split('-').map(Number);
      const seeds = Array.from(
        { length: last - first + 1 },
        (_, i) => first + i,
      );
      let right = 0;
      let errors = 0;
      let total = 0;
      let ms = 0;
      const misses: string[] = [];
      for (const c of await cachedConversations(seeds, seconds)) {
        const started = performance.now();
        const labels = variant(c.embedded.embeddings, c.embedded.windows);
        ms += performance.now() - started;
        const der = diarizationErrorRate(
          c.truth,
          speakerTurns(c.regions, c.embedded.windows, labels),
          0.25,
        );
        errors += der.der * der.total;
        total += der.total;
        const found = new Set(labels).size;
        if (found === c.speakers) right++;
        else misses.push(`${c.id} ${c.speakers}→${found}`);
      }
      console.log(
        `${name}, seeds ${set}: count right ${right}/${seeds.length}, DER ${((100 * errors) / total).toFixed(1)} % (0.25 s collar, count estimated), ` +
          `clustering ${(ms / seeds.length).toFixed(0)} ms per conversation; missed: ${misses.join(', ') || 'none'}`,
      );
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
