/**
 * Fargate accepts only these CPU/memory pairs (Linux). Checking them here turns a failed
 * `RegisterTaskDefinition` half-way through a deploy into a config error before synth.
 */
const MEMORY_BY_CPU: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

function range(from: number, to: number, step: number): number[] {
  const values: number[] = [];
  for (let value = from; value <= to; value += step) values.push(value);
  return values;
}

export function isValidFargateSize(cpu: number, memory: number): boolean {
  return MEMORY_BY_CPU[cpu]?.includes(memory) ?? false;
}

export function describeFargateMemory(cpu: number): string {
  const memories = MEMORY_BY_CPU[cpu];
  if (!memories) return `cpu must be one of ${Object.keys(MEMORY_BY_CPU).join(', ')} (CPU units; 1024 = 1 vCPU)`;
  if (memories.length <= 3) return `with cpu ${cpu}, memory must be one of ${memories.join(', ')} MiB`;
  const step = memories[1] - memories[0];
  return `with cpu ${cpu}, memory must be ${memories[0]}–${memories[memories.length - 1]} MiB in steps of ${step}`;
}
