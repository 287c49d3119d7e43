/**
 * The task sizes Fargate accepts (Linux): for each CPU value, the memory values allowed with it, in MiB. Source: the
 * ECS developer guide, "Task CPU and memory" (RegisterTaskDefinition `cpu`/`memory`); 8 and 16 vCPU need platform
 * version 1.4.0 or later.
 */
export const FARGATE_TASK_SIZES: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: [1024, 2048, 3072, 4096],
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

/** Longest `stopTimeout` Fargate allows a container, in seconds (time between SIGTERM and SIGKILL). */
export const FARGATE_MAX_STOP_TIMEOUT_SECONDS = 120;

/** Why `cpu` and `memoryMiB` are not a Fargate task size, or undefined when they are one. */
export function fargateSizeProblem(cpu: number, memoryMiB: number): string | undefined {
  const memories = FARGATE_TASK_SIZES[cpu];
  if (memories === undefined) {
    return `cpu ${cpu} is not a Fargate CPU value (${Object.keys(FARGATE_TASK_SIZES).join(", ")})`;
  }
  if (!memories.includes(memoryMiB)) {
    return `memory ${memoryMiB} MiB is not allowed with cpu ${cpu} on Fargate (allowed: ${describe(memories)} MiB)`;
  }
  return undefined;
}

function range(from: number, to: number, step: number): number[] {
  return Array.from({ length: (to - from) / step + 1 }, (_, index) => from + index * step);
}

function describe(values: readonly number[]): string {
  return values.length <= 4 ? values.join(", ") : `${values[0]} to ${values[values.length - 1]} in steps of ${values[1] - values[0]}`;
}
