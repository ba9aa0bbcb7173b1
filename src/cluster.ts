// One hub process per core on one machine: the primary forks the workers, which all listen on the
// same port (node:cluster hands connections out among them) and share nothing in memory that matters —
// the store is the one place of truth, as it is for replicas on several machines. The primary only
// keeps them running: a worker that dies is replaced, with a growing pause if it keeps dying.
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';

const FIRST_RESTART_MS = 1_000;
const MAX_RESTART_MS = 30_000;
/** A worker that lived this long is healthy again: its next death restarts it at once. */
const STABLE_MS = 60_000;

/** Runs `count` hub workers until SIGINT/SIGTERM, then stops them and resolves. */
export function superviseWorkers(count: number, log: Logger): Promise<void> {
  let stopping = false;
  let pause = FIRST_RESTART_MS;
  const started = new Map<Worker, number>();

  const fork = (): void => {
    const w = cluster.fork();
    started.set(w, Date.now());
  };
  cluster.on('exit', (w, code, signal) => {
    const lived = Date.now() - (started.get(w) ?? 0);
    started.delete(w);
    if (stopping) return;
    if (lived >= STABLE_MS) pause = FIRST_RESTART_MS;
    log.error({ pid: w.process.pid, code, signal, restartInMs: pause }, 'hub worker died; starting another');
    setTimeout(fork, pause).unref();
    pause = Math.min(pause * 2, MAX_RESTART_MS);
  });
  for (let i = 0; i < count; i++) fork();
  log.info({ workers: count }, 'cirms-hub primary: workers starting');

  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'stopping workers');
      const left = new Set(started.keys());
      if (left.size === 0) return resolve();
      for (const w of left) {
        w.once('exit', () => {
          left.delete(w);
          if (left.size === 0) resolve();
        });
        w.process.kill(signal);
      }
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
}
