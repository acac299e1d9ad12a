import { readFileSync } from 'node:fs';
import os from 'node:os';

/** What the CPU-count logic reads; injectable so tests can describe any container. */
export interface CpuSources {
  readFile(path: string): string | undefined;
  /** CPUs this process may be scheduled on (sched affinity), as os.availableParallelism() reports. */
  availableParallelism(): number;
}

const systemSources: CpuSources = {
  readFile(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  availableParallelism: () => os.availableParallelism(),
};

/** CPUs' worth of time the cgroup quota allows, or undefined when unlimited or not visible. */
export function cgroupCpuLimit(sources: CpuSources = systemSources): number | undefined {
  // cgroup v2: "<quota> <period>" or "max <period>"
  const v2 = sources.readFile('/sys/fs/cgroup/cpu.max')?.trim().split(/\s+/);
  if (v2 && v2.length === 2) {
    const [quota, period] = v2;
    if (quota === 'max') return undefined;
    const q = Number(quota);
    const p = Number(period);
    if (q > 0 && p > 0) return q / p;
  }
  // cgroup v1: cfs quota of -1 means unlimited; the controller is mounted under either name
  for (const dir of ['/sys/fs/cgroup/cpu', '/sys/fs/cgroup/cpu,cpuacct']) {
    const q = Number(sources.readFile(`${dir}/cpu.cfs_quota_us`)?.trim());
    const p = Number(sources.readFile(`${dir}/cpu.cfs_period_us`)?.trim());
    if (q > 0 && p > 0) return q / p;
  }
  return undefined;
}

/**
 * Threads whisper should use by default: the CPUs we are scheduled on, capped by the container's CPU quota.
 * A fractional quota rounds down: whisper's threads spin while they wait for each other, so one thread more
 * than the quota allows is throttled and slows every other thread of the same graph.
 */
export function defaultWhisperThreads(sources: CpuSources = systemSources): number {
  const affinity = Math.max(1, sources.availableParallelism());
  const quota = cgroupCpuLimit(sources);
  return quota === undefined ? affinity : Math.max(1, Math.min(affinity, Math.floor(quota)));
}
