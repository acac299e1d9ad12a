import type { JobStatus } from '@speech/contracts';
import { ANONYMOUS_OWNER } from '../../src/common/anonymous-owner';
import { isDomainError } from '../../src/common/domain-error';
import { newJobRecord, nextVersion } from '../../src/jobs/job-record';
import type { JobRecord, JobStore } from '../../src/storage/job-store.port';

export interface JobStoreHarness {
  /** A store on fresh, empty storage. */
  readonly store: JobStore;
  /** A second, independent store on the same storage (another process, as far as the store can tell). */
  readonly twin: () => Promise<JobStore>;
  readonly dispose: () => Promise<void>;
}

const T0 = Date.UTC(2026, 0, 1);

function record(n: number, overrides: Partial<JobRecord> = {}): JobRecord {
  const base = newJobRecord(
    {
      options: { task: 'transcribe', temperature: 0, word_timestamps: false, response_format: 'json' },
      audio: { filename: `clip-${n}.wav`, bytes: 1000 + n, format: 'wav' },
      callbackUrl: null,
      idempotencyKey: null,
      requestHash: null,
      maxAttempts: 3,
      ownerId: ANONYMOUS_OWNER,
      id: `job_contract_${String(n).padStart(3, '0')}`,
    },
    T0 + n * 1000,
  );
  return { ...base, ...overrides };
}

/**
 * What every JobStore adapter must do, run against real storage: SQLite files, and DynamoDB through the real
 * AWS SDK against a local server. `makeHarness` is called per test.
 */
export function jobStoreContract(name: string, makeHarness: () => Promise<JobStoreHarness>): void {
  describe(`JobStore contract: ${name}`, () => {
    let harness: JobStoreHarness;
    let store: JobStore;

    beforeEach(async () => {
      harness = await makeHarness();
      store = harness.store;
    });

    afterEach(async () => harness?.dispose());

    it('stores a record and reads it back unchanged', async () => {
      const job = record(1, { callbackUrl: 'https://hooks.example/x', options: { task: 'translate', temperature: 0.4, word_timestamps: true, response_format: 'srt', language: 'de', prompt: 'Grüße' } });
      expect(await store.insert(job)).toEqual({ inserted: true });
      expect(await store.get(job.id)).toEqual(job);
      expect(await store.get('job_missing')).toBeNull();
    });

    it('refuses to insert the same id twice', async () => {
      await store.insert(record(1));
      // Not `rejects.toThrow()`: jest loads better-sqlite3's native addon once per worker, so a SqliteError made
      // in another test file's realm is not `instanceof Error` here, and toThrow would call the rejection "no throw".
      const outcome = await store.insert(record(1)).then(
        () => 'resolved',
        (error: unknown) => `rejected: ${String((error as { message?: unknown })?.message ?? error)}`,
      );
      expect(outcome).toMatch(/^rejected: /);
    });

    it('replaces only from the version that was read (compare-and-set)', async () => {
      const job = record(1);
      await store.insert(job);
      const running = nextVersion(job, { status: 'running', lease: { owner: 'a', expiresAt: T0 + 60_000 } }, T0 + 5000);
      expect(await store.replace(running, job.version)).toBe(true);
      const stale = nextVersion(job, { status: 'cancelled' }, T0 + 6000);
      expect(await store.replace(stale, job.version)).toBe(false);
      expect(await store.get(job.id)).toEqual(running);
    });

    it('lets exactly one of two processes win a race on the same version', async () => {
      const twin = await harness.twin();
      try {
        const jobs = [1, 2, 3, 4, 5].map((n) => record(n));
        for (const job of jobs) await store.insert(job);
        for (const job of jobs) {
          const mine = nextVersion(job, { status: 'running', lease: { owner: 'a', expiresAt: T0 + 1 } }, T0 + 2);
          const theirs = nextVersion(job, { status: 'running', lease: { owner: 'b', expiresAt: T0 + 1 } }, T0 + 2);
          const wins = await Promise.all([store.replace(mine, job.version), twin.replace(theirs, job.version)]);
          expect(wins.filter(Boolean)).toHaveLength(1);
          const winner = wins[0] ? 'a' : 'b';
          expect((await twin.get(job.id))?.lease?.owner).toBe(winner);
        }
      } finally {
        await twin.close();
      }
    });

    it('answers the existing job for a reused idempotency key and stores nothing new', async () => {
      const first = record(1, { idempotencyKey: 'key-1', requestHash: 'h1' });
      expect(await store.insert(first)).toEqual({ inserted: true });
      const again = record(2, { idempotencyKey: 'key-1', requestHash: 'h2' });
      expect(await store.insert(again)).toEqual({ inserted: false, existing: first });
      expect(await store.get(again.id)).toBeNull();
      expect(await store.insert(record(3, { idempotencyKey: 'key-2' }))).toEqual({ inserted: true });
    });

    it('frees an idempotency key when its job is deleted', async () => {
      await store.insert(record(1, { idempotencyKey: 'key-1' }));
      await store.delete(record(1).id);
      expect(await store.get(record(1).id)).toBeNull();
      expect(await store.insert(record(2, { idempotencyKey: 'key-1' }))).toEqual({ inserted: true });
    });

    it('lists newest first, page by page, each job exactly once', async () => {
      for (let n = 1; n <= 7; n += 1) await store.insert(record(n));
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.list({ limit: 3, cursor });
        seen.push(...page.records.map((job) => job.id));
        cursor = page.nextCursor ?? undefined;
        pages += 1;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual([7, 6, 5, 4, 3, 2, 1].map((n) => record(n).id));
      const exact = await store.list({ limit: 7 });
      expect(exact.records).toHaveLength(7);
      expect(exact.nextCursor).toBeNull();
    });

    it('filters the list by one or several statuses', async () => {
      const statuses: JobStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'succeeded'];
      for (const [i, status] of statuses.entries()) await store.insert(record(i + 1, { status }));
      const ids = async (filter: JobStatus[], limit = 10) => (await store.list({ statuses: filter, limit })).records.map((job) => job.id);
      expect(await ids(['succeeded'])).toEqual([record(6).id, record(3).id]);
      expect(await ids(['failed', 'cancelled'])).toEqual([record(5).id, record(4).id]);
      const firstPage = await store.list({ statuses: ['queued', 'succeeded'], limit: 2 });
      expect(firstPage.records.map((job) => job.id)).toEqual([record(6).id, record(3).id]);
      const secondPage = await store.list({ statuses: ['queued', 'succeeded'], limit: 2, cursor: firstPage.nextCursor ?? undefined });
      expect(secondPage.records.map((job) => job.id)).toEqual([record(1).id]);
      expect(secondPage.nextCursor).toBeNull();
    });

    it("lists one owner's jobs only, page by page, with or without a status filter", async () => {
      // n % 3 = 1: owner A, succeeded; 2: owner B, failed; 0: anonymous, queued.
      const owners = [ANONYMOUS_OWNER, 'keyAAAAAAAAA', 'keyBBBBBBBBB'];
      const statuses: JobStatus[] = ['queued', 'succeeded', 'failed'];
      for (let n = 1; n <= 9; n += 1) await store.insert(record(n, { ownerId: owners[n % 3] as string, status: statuses[n % 3] as JobStatus }));
      const ids = (...ns: number[]) => ns.map((n) => record(n).id);
      const all = async (query: { ownerId?: string; statuses?: JobStatus[] }, limit: number) => {
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await store.list({ ...query, limit, cursor });
          expect(page.records.length).toBeLessThanOrEqual(limit);
          seen.push(...page.records.map((job) => job.id));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        return seen;
      };
      expect(await all({ ownerId: 'keyAAAAAAAAA' }, 2)).toEqual(ids(7, 4, 1));
      expect(await all({ ownerId: 'keyBBBBBBBBB' }, 1)).toEqual(ids(8, 5, 2));
      expect(await all({ ownerId: ANONYMOUS_OWNER, statuses: ['queued'] }, 2)).toEqual(ids(9, 6, 3));
      expect(await all({ ownerId: ANONYMOUS_OWNER, statuses: ['succeeded', 'failed'] }, 2)).toEqual([]);
      expect(await all({ ownerId: 'keyCCCCCCCCC' }, 5)).toEqual([]);
      // No owner: every owner's jobs (admin), still newest first across owners and statuses.
      expect(await all({}, 4)).toEqual(ids(9, 8, 7, 6, 5, 4, 3, 2, 1));
      expect(await all({ statuses: ['succeeded', 'failed'] }, 2)).toEqual(ids(8, 7, 5, 4, 2, 1));
      expect((await store.get(record(4).id))?.ownerId).toBe('keyAAAAAAAAA');
    });

    it('keeps idempotency keys apart per owner', async () => {
      const mine = record(1, { ownerId: 'keyAAAAAAAAA', idempotencyKey: 'order#42', requestHash: 'h' });
      const theirs = record(2, { ownerId: 'keyBBBBBBBBB', idempotencyKey: 'order#42', requestHash: 'h' });
      // An owner id never contains '#': this key cannot pose as owner "keyAAAAAAAAA" with key "order#42".
      const tricky = record(3, { ownerId: ANONYMOUS_OWNER, idempotencyKey: 'keyAAAAAAAAA#order#42', requestHash: 'h' });
      expect(await store.insert(mine)).toEqual({ inserted: true });
      expect(await store.insert(theirs)).toEqual({ inserted: true });
      expect(await store.insert(tricky)).toEqual({ inserted: true });
      expect(await store.insert(record(4, { ownerId: 'keyBBBBBBBBB', idempotencyKey: 'order#42' }))).toEqual({ inserted: false, existing: theirs });
      await store.delete(mine.id);
      expect(await store.insert(record(5, { ownerId: 'keyAAAAAAAAA', idempotencyKey: 'order#42' }))).toEqual({ inserted: true });
      expect(await store.insert(record(6, { ownerId: 'keyBBBBBBBBB', idempotencyKey: 'order#42' }))).toEqual({ inserted: false, existing: theirs });
    });

    it('rejects a cursor it did not issue with INVALID_OPTION', async () => {
      const error = await store.list({ limit: 5, cursor: 'not-a-cursor' }).catch((caught: unknown) => caught);
      expect(isDomainError(error) && error.code).toBe('INVALID_OPTION');
    });

    it('offers queued jobs oldest first, then running jobs whose lease expired', async () => {
      const now = T0 + 100_000;
      await store.insert(record(1, { status: 'succeeded' }));
      await store.insert(record(2, { status: 'queued' }));
      await store.insert(record(3, { status: 'running', lease: { owner: 'dead', expiresAt: now - 1 } }));
      await store.insert(record(4, { status: 'running', lease: { owner: 'alive', expiresAt: now + 10_000 } }));
      await store.insert(record(5, { status: 'queued' }));
      const claimable = await store.listClaimable(now, 10);
      expect(claimable.map((job) => job.id)).toEqual([record(2).id, record(5).id, record(3).id]);
      expect(await store.listClaimable(now, 1)).toHaveLength(1);
    });

    it('offers queued jobs fairly: fewest running first, then the owner served longest ago, round-robin across owners', async () => {
      const now = T0 + 100_000;
      const a = [1, 2, 3, 4, 5].map((n) => record(n, { ownerId: 'key_a' }));
      const b = record(10, { ownerId: 'key_b' });
      for (const job of [...a, b]) await store.insert(job);
      const ids = async () => (await store.listClaimable(now, 10)).map((job) => job.id);
      // Nobody runs anything and nobody was served: the oldest waiting job's owner first, then one job per owner in turn.
      expect(await ids()).toEqual([a[0]?.id, b.id, a[1]?.id, a[2]?.id, a[3]?.id, a[4]?.id]);

      // key_a has a job running: key_b's job comes first although it is the newest.
      const first = a[0] as JobRecord;
      const running = nextVersion(first, { status: 'running', lease: { owner: 'w1', expiresAt: now + 30_000 }, claimedAt: now - 5000, startedAt: now - 5000 }, now);
      expect(await store.replace(running, first.version)).toBe(true);
      expect((await ids()).slice(0, 2)).toEqual([b.id, a[1]?.id]);

      // It yields back to the queue between windows: both owners run nothing now, and key_b, never served, goes first.
      const yielded = nextVersion(running, { status: 'queued' }, now);
      expect(await store.replace(yielded, running.version)).toBe(true);
      expect((await ids())[0]).toBe(b.id);
      expect((await store.listClaimable(now, 1)).map((job) => job.id)).toEqual([b.id]);

      expect(await store.ownerQueues()).toEqual(
        expect.arrayContaining([
          { ownerId: 'key_a', queued: 5, running: 0, lastClaimedAt: now - 5000, oldestQueuedAt: first.createdAt },
          { ownerId: 'key_b', queued: 1, running: 0, lastClaimedAt: null, oldestQueuedAt: b.createdAt },
        ]),
      );
    });

    it("remembers when an owner was served after its job ended, so the other owner's job comes next", async () => {
      const now = T0 + 100_000;
      const a = [1, 2, 3].map((n) => record(n, { ownerId: 'key_a' }));
      const b = record(10, { ownerId: 'key_b' });
      for (const job of [...a, b]) await store.insert(job);
      const first = a[0] as JobRecord;
      const done = nextVersion(first, { status: 'succeeded', claimedAt: now - 5000, startedAt: now - 5000, finishedAt: now - 1000 }, now);
      expect(await store.replace(done, first.version)).toBe(true);
      await store.noteClaim('key_a', now - 5000);
      await store.noteClaim('key_a', now - 9000); // an older note never moves it back
      expect((await store.listClaimable(now, 10)).map((job) => job.id)).toEqual([b.id, a[1]?.id, a[2]?.id]);
      expect(await store.ownerQueues()).toEqual(
        expect.arrayContaining([{ ownerId: 'key_a', queued: 2, running: 0, lastClaimedAt: now - 5000, oldestQueuedAt: a[1]?.createdAt }]),
      );
    });

    it('lets exactly one of two processes claim the first fair candidate', async () => {
      const now = T0 + 100_000;
      await store.insert(record(1, { ownerId: 'key_a' }));
      await store.insert(record(2, { ownerId: 'key_b' }));
      const twin = await harness.twin();
      try {
        const [mine, theirs] = await Promise.all([store.listClaimable(now, 1), twin.listClaimable(now, 1)]);
        const take = (candidate: JobRecord, owner: string) =>
          nextVersion(candidate, { status: 'running', lease: { owner, expiresAt: now + 30_000 }, claimedAt: now }, now);
        const wins = await Promise.all([
          store.replace(take(mine[0] as JobRecord, 'w1'), (mine[0] as JobRecord).version),
          twin.replace(take(theirs[0] as JobRecord, 'w2'), (theirs[0] as JobRecord).version),
        ]);
        expect(wins.filter(Boolean)).toHaveLength(1);
        // The loser's next look offers the other owner's job.
        expect((await twin.listClaimable(now, 1)).map((job) => job.id)).toEqual([record(2).id]);
      } finally {
        await twin.close();
      }
    });

    it("counts one owner's queued and running jobs for the per-key caps", async () => {
      await store.insert(record(1, { ownerId: 'key_a' }));
      await store.insert(record(2, { ownerId: 'key_a', status: 'running', audio: { filename: null, bytes: 64_000, format: 'wav', durationSeconds: 2, stored: true } }));
      await store.insert(record(3, { ownerId: 'key_a', status: 'succeeded' }));
      await store.insert(record(4, { ownerId: 'key_b' }));
      const backlog = await store.ownerBacklog('key_a');
      expect(backlog).toHaveLength(2);
      expect(backlog).toEqual(
        expect.arrayContaining([
          { status: 'queued', bytes: 1001, format: 'wav', durationSeconds: null },
          { status: 'running', bytes: 64_000, format: 'wav', durationSeconds: 2 },
        ]),
      );
      expect(await store.ownerBacklog('key_c')).toEqual([]);
    });

    it('lists webhook deliveries that are due, and forgets them once done', async () => {
      const now = T0 + 100_000;
      const due = record(1, { status: 'succeeded', webhook: { deliveries: [], dueAt: now - 5 } });
      await store.insert(due);
      await store.insert(record(2, { status: 'failed', webhook: { deliveries: [], dueAt: now + 60_000 } }));
      await store.insert(record(3, { status: 'succeeded' }));
      expect((await store.listWebhooksDue(now, 10)).map((job) => job.id)).toEqual([due.id]);
      const delivered = nextVersion(due, { webhook: { deliveries: [{ at: 'x', status_code: 200, ok: true, attempt: 1, event: 'succeeded' }], dueAt: null } }, now);
      expect(await store.replace(delivered, due.version)).toBe(true);
      expect(await store.listWebhooksDue(now, 10)).toEqual([]);
      expect((await store.listWebhooksDue(now + 60_000, 10)).map((job) => job.id)).toEqual([record(2).id]);
    });

    it('lists due deliveries without writing; the sweep tidies what a delivery or a lost race left behind', async () => {
      const now = T0 + 100_000;
      const delivered = record(1, { status: 'succeeded', webhook: { deliveries: [], dueAt: now - 20 } });
      const retried = record(2, { status: 'failed', webhook: { deliveries: [], dueAt: now + 60_000 } });
      const due = record(3, { status: 'succeeded', webhook: { deliveries: [], dueAt: now - 5 } });
      for (const job of [delivered, retried, due]) await store.insert(job);
      const done = { deliveries: [{ at: 'x', status_code: 200, ok: true, attempt: 1, event: 'succeeded' as const }], dueAt: null };
      expect(await store.replace(nextVersion(delivered, { webhook: done }, now), delivered.version)).toBe(true);
      // A writer that lost the race for job 2 had meant to make its delivery due now.
      expect(await store.replace(nextVersion(retried, { webhook: { deliveries: [], dueAt: now - 10 } }, now), retried.version + 1)).toBe(false);
      const dueIds = async (at: number) => (await store.listWebhooksDue(at, 10)).map((job) => job.id);

      expect(await dueIds(now)).toEqual([due.id]);
      expect(await dueIds(now)).toEqual([due.id]);
      // DynamoDB's outbox holds a stale entry for each of jobs 1 and 2; SQLite's due time is part of the job row.
      expect(await store.sweepWebhooksDue(now, 10)).toBe(store.kind === 'dynamodb' ? 2 : 0);
      expect(await store.sweepWebhooksDue(now, 10)).toBe(0);
      expect(await dueIds(now)).toEqual([due.id]);
      expect(await dueIds(now + 60_000)).toEqual([due.id, retried.id]);
    });

    it('lists ended jobs whose retention has passed', async () => {
      const now = T0 + 100_000;
      await store.insert(record(1, { status: 'succeeded', finishedAt: T0 + 1, expiresAt: now - 1 }));
      await store.insert(record(2, { status: 'failed', finishedAt: T0 + 1, expiresAt: now + 1 }));
      await store.insert(record(3, { status: 'cancelled', finishedAt: T0 + 1, expiresAt: now - 10 }));
      await store.insert(record(4, { status: 'queued' }));
      const expired = (await store.listExpired(now, 10)).map((job) => job.id).sort();
      expect(expired).toEqual([record(1).id, record(3).id]);
    });
  });
}
