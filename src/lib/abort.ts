/**
 * Settles with `p`, or rejects with the signal's reason as soon as it aborts — so a driver that is slow
 * to react never holds the search past its deadline. `late` disposes of a value that arrives after.
 */
export function raceAbort<T>(p: Promise<T>, signal: AbortSignal, late?: (v: T) => void): Promise<T> {
  if (signal.aborted) {
    p.then(late, () => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const onAbort = () => {
      settled = true;
      p.then(late, () => {});
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        if (settled) return;
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        if (settled) return;
        reject(e);
      },
    );
  });
}

export interface Deadline {
  signal: AbortSignal;
  /** Clears the timer; call when the work is done so no timer outlives it. */
  clear(): void;
}

/**
 * An AbortSignal that fires after `ms` or when `parent` aborts, whichever is first. Unlike
 * AbortSignal.timeout, its timer is cleared as soon as the work ends, so nothing is left behind.
 */
export function deadline(ms: number, parent?: AbortSignal): Deadline {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(new DeadlineError(ms)), ms);
  const onParent = () => ctl.abort(parent!.reason);
  if (parent) {
    if (parent.aborted) ctl.abort(parent.reason);
    else parent.addEventListener('abort', onParent, { once: true });
  }
  return {
    signal: ctl.signal,
    clear() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParent);
    },
  };
}

export class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
  constructor(ms: number) {
    super(`deadline of ${ms} ms passed`);
  }
}
