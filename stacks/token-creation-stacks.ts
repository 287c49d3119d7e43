/**
 * cdktf records the whole call stack of every token it creates (each Lazy value and intrinsic function, about 7,000
 * per synth of every environment, whatever the App's `stackTraces` option) with `Error.captureStackTrace` on a plain
 * object, only to quote it should that token fail to resolve. Capturing and formatting them is about 0.3 s of every
 * synth. This makes such captures no-ops: a synth failure is still reported by its message (which names the
 * construct), and errors keep their stack traces (only non-Error targets are skipped).
 *
 * Process-wide and idempotent: main.ts and the test setup call it before building stacks.
 */
export function skipTokenCreationStacks(): void {
  if (skipping.has(Error.captureStackTrace)) return;
  const capture = Error.captureStackTrace;
  const captureErrorsOnly = (target: object, below?: Parameters<typeof capture>[1]) => {
    if (target instanceof Error) capture(target, below);
  };
  skipping.add(captureErrorsOnly);
  Error.captureStackTrace = captureErrorsOnly;
}

const skipping = new WeakSet<object>();
