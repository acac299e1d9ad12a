import { cgroupCpuLimit, defaultWhisperThreads, type CpuSources } from './cpu-threads';
import { threadsPerJob } from './local-engine.config';

function machine(files: Record<string, string>, cpus: number): CpuSources {
  return { readFile: (p) => files[p], availableParallelism: () => cpus };
}

describe('defaultWhisperThreads', () => {
  it('uses every schedulable CPU when no quota is set (cgroup v2 "max")', () => {
    expect(defaultWhisperThreads(machine({ '/sys/fs/cgroup/cpu.max': 'max 100000\n' }, 8))).toBe(8);
  });

  it('caps at the cgroup v2 quota, rounding a fractional quota down', () => {
    expect(defaultWhisperThreads(machine({ '/sys/fs/cgroup/cpu.max': '250000 100000\n' }, 16))).toBe(2);
  });

  it('never goes below one thread', () => {
    expect(defaultWhisperThreads(machine({ '/sys/fs/cgroup/cpu.max': '50000 100000' }, 4))).toBe(1);
  });

  it('reads the cgroup v1 cfs quota under either controller mount', () => {
    const v1 = { '/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us': '300000', '/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us': '100000' };
    expect(cgroupCpuLimit(machine(v1, 8))).toBe(3);
    expect(defaultWhisperThreads(machine(v1, 8))).toBe(3);
  });

  it('treats a v1 quota of -1 as unlimited', () => {
    const v1 = { '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '-1', '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000' };
    expect(defaultWhisperThreads(machine(v1, 6))).toBe(6);
  });

  it('lets a narrower affinity mask win over a larger quota', () => {
    expect(defaultWhisperThreads(machine({ '/sys/fs/cgroup/cpu.max': '800000 100000' }, 2))).toBe(2);
  });

  it('works on the real machine', () => {
    const n = defaultWhisperThreads();
    expect(Number.isInteger(n)).toBe(true);
    expect(n).toBeGreaterThanOrEqual(1);
  });
});

describe('threadsPerJob', () => {
  it.each([
    [8, 1, 8],
    [8, 2, 4],
    [8, 3, 2],
    [2, 4, 1],
    [1, 1, 1],
  ])('%i threads over %i concurrent jobs → %i each', (threads, concurrency, expected) => {
    expect(threadsPerJob({ threads, concurrency })).toBe(expected);
  });
});
