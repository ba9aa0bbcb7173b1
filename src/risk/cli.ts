// `npx cirms risk …`: operator commands on the risk engine, against the hub's store.
//   cirms risk rate [--as-of YYYY-MM-DD]   re-rate every trader now (this process is the worker),
//                                          printing the run's progress; exit 1 if the run failed
//   cirms risk runs                        the recent runs
import type { Db } from '../store/db.ts';
import { ensureDefaultRuleSet } from './rulesets.ts';
import { createRun, getRun, InProcessRunner, listRuns, type RunView } from './runs.ts';

export const RISK_USAGE = 'usage: cirms risk rate [--as-of YYYY-MM-DD] [--config FILE] | cirms risk runs [--config FILE]';

/** Runs a `risk` subcommand on an open, migrated store; returns the exit code. */
export async function riskCommand(db: Db, command: string | undefined, opts: { asOf?: string; out?: (line: string) => void } = {}): Promise<number> {
  const out = opts.out ?? ((line: string) => console.log(line));
  const show = (r: RunView) =>
    `run ${r.runId} (rule set v${r.ruleSetVersion}, as of ${r.asOf}): ${r.status} — ${r.tradersDone}/${r.tradersTotal} traders, ${r.chunksDone}/${r.chunksTotal} chunks, ${r.ratingsChanged} ratings changed, ${r.reviewsOpened} reviews opened${r.error ? `, error: ${r.error}` : ''}`;
  if (command === 'rate') {
    if (opts.asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf)) {
      out(`--as-of must be YYYY-MM-DD (got ${opts.asOf})`);
      return 2;
    }
    await ensureDefaultRuleSet(db);
    const run = await createRun(db, { requestedBy: `cli:${process.env.USER ?? 'operator'}`, ...(opts.asOf ? { asOf: opts.asOf } : {}) });
    const started = performance.now();
    await new InProcessRunner(db).execute(run.runId, (r) => out(show(r)));
    const done = (await getRun(db, run.runId)) as RunView;
    out(`${show(done)} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return done.status === 'done' ? 0 : 1;
  }
  if (command === 'runs') {
    for (const r of await listRuns(db)) out(show(r));
    return 0;
  }
  out(RISK_USAGE);
  return 2;
}
