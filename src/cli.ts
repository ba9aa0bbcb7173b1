#!/usr/bin/env node
// `npx cirms …`: operator commands that run against the hub's store without starting the hub.
//   cirms audit verify [--config FILE]             walk the audit hash chain; exit 1 if anything was changed
//   cirms risk rate [--as-of DATE] [--config FILE] re-rate every trader now, with progress
//   cirms risk runs [--config FILE]                the latest rating runs
//   cirms model estimate --in records.ndjson [--activate] | model list | model activate N|default
//                                                  estimate match weights by EM, keep versions, choose the active one
//   cirms resolve --in records.ndjson --out clusters.ndjson [--model model.json]
//                 [--decisions decisions.ndjson] [--max-block N] [--no-evidence] [--no-progress]
//                                                  deduplicate canonical records in batch (same engine as online)
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { verifyAudit } from './auth/audit.ts';
import { ConfigError, loadConfig } from './config.ts';
import { resolveFile } from './resolution/batch.ts';
import type { Decision } from './resolution/engine.ts';
import { MODEL_USAGE, modelCommand } from './resolution/model-cli.ts';
import { parseModel } from './resolution/model.ts';
import { riskCommand, RISK_USAGE } from './risk/cli.ts';
import { openDb, type Db } from './store/db.ts';
import { migrate } from './store/migrate.ts';

const RESOLVE_USAGE = 'cirms resolve --in FILE --out FILE [--model FILE] [--decisions FILE] [--max-block N] [--no-evidence] [--no-progress]';
const USAGE = [
  'usage: cirms audit verify [--config FILE]',
  RISK_USAGE.replace(/^usage: /, ''),
  MODEL_USAGE.replace(/^usage: /, ''),
  RESOLVE_USAGE,
].join('\n       ');

const { values, positionals } = parseArgs({
  options: {
    config: { type: 'string' },
    'as-of': { type: 'string' },
    in: { type: 'string' },
    out: { type: 'string' },
    model: { type: 'string' },
    decisions: { type: 'string' },
    'max-block': { type: 'string' },
    'no-evidence': { type: 'boolean' },
    'no-progress': { type: 'boolean' },
    activate: { type: 'boolean' },
  },
  allowPositionals: true,
});
const [group, command] = positionals;

if (group === 'resolve') {
  process.exitCode = await resolveCommand();
} else if ((group === 'audit' && command === 'verify') || group === 'risk' || group === 'model') {
  try {
    const file = values.config ?? process.env.HUB_CONFIG ?? new URL('../config/hub.yaml', import.meta.url).pathname;
    const config = await loadConfig(file, { withoutSources: true });
    const db = await openDb(config.store.url);
    try {
      await migrate(db);
      process.exitCode =
        group === 'risk'
          ? await riskCommand(db, command, { ...(values['as-of'] ? { asOf: values['as-of'] } : {}) })
          : group === 'model'
            ? await modelCommand(db, command, {
                ...(values.in ? { in: values.in } : {}),
                activate: values.activate ?? false,
                ...(positionals[2] ? { version: positionals[2] } : {}),
              })
            : await auditVerify(db);
    } finally {
      await db.close();
    }
  } catch (err) {
    console.error(`cirms: ${err instanceof ConfigError ? err.message : (err as Error).message}`);
    process.exitCode = 2;
  }
} else {
  console.error(USAGE);
  process.exitCode = 2;
}

async function auditVerify(db: Db): Promise<number> {
  const result = await verifyAudit(db);
  for (const p of result.problems) console.log(`entry ${p.seq}: ${p.problem} — ${p.detail}`);
  console.log(`${result.ok ? 'audit trail intact' : 'AUDIT TRAIL BROKEN'}: ${result.entries} entries, head ${result.head.seq} ${result.head.hash}`);
  return result.ok ? 0 : 1;
}

async function resolveCommand(): Promise<number> {
  if (!values.in || !values.out) {
    console.error(`usage: ${RESOLVE_USAGE}`);
    return 2;
  }
  try {
    const maxBlock = values['max-block'] === undefined ? undefined : Number(values['max-block']);
    if (maxBlock !== undefined && !(Number.isInteger(maxBlock) && maxBlock > 1)) throw new Error('--max-block must be a whole number above 1');
    const summary = await resolveFile(values.in, values.out, {
      ...(values.model ? { model: parseModel(JSON.parse(readFileSync(values.model, 'utf8'))) } : {}),
      ...(values.decisions ? { decisions: readDecisions(values.decisions) } : {}),
      ...(maxBlock !== undefined ? { maxBlock } : {}),
      evidence: !values['no-evidence'],
      ...(values['no-progress'] ? { progress: false } : {}),
    });
    console.error(
      `resolved ${summary.records} records into ${summary.clusters} clusters (${summary.links} links, ${summary.possibleMatches} possible matches, ${summary.rejected} lines rejected) with model ${summary.modelVersion}`,
    );
    return summary.rejected > 0 ? 1 : 0;
  } catch (err) {
    console.error(`cirms resolve: ${(err as Error).message}`);
    return 2;
  }
}

/** One decision per line: {"a": "src:key", "b": "src:key", "decision": "confirm" | "reject"}. */
function readDecisions(path: string): Decision[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      const d = JSON.parse(l) as Decision;
      if (typeof d.a !== 'string' || typeof d.b !== 'string' || (d.decision !== 'confirm' && d.decision !== 'reject')) {
        throw new Error(`${path}:${i + 1}: a decision needs a, b and decision (confirm or reject)`);
      }
      return d;
    });
}
