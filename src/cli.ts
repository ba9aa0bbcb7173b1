#!/usr/bin/env node
// `npx cirms …`: operator commands that run against the hub's store without starting the hub.
//   cirms audit verify [--config FILE]             walk the audit hash chain; exit 1 if anything was changed
//   cirms risk rate [--as-of DATE] [--config FILE] re-rate every trader now, with progress
//   cirms risk runs [--config FILE]                the latest rating runs
import { parseArgs } from 'node:util';
import { verifyAudit } from './auth/audit.ts';
import { ConfigError, loadConfig } from './config.ts';
import { riskCommand, RISK_USAGE } from './risk/cli.ts';
import { openDb, type Db } from './store/db.ts';
import { migrate } from './store/migrate.ts';

const USAGE = `usage: cirms audit verify [--config FILE]\n       ${RISK_USAGE.replace(/^usage: /, '')}`;

const { values, positionals } = parseArgs({ options: { config: { type: 'string' }, 'as-of': { type: 'string' } }, allowPositionals: true });
const [group, command] = positionals;

if ((group === 'audit' && command === 'verify') || group === 'risk') {
  try {
    const file = values.config ?? process.env.HUB_CONFIG ?? new URL('../config/hub.yaml', import.meta.url).pathname;
    const config = await loadConfig(file, { withoutSources: true });
    const db = await openDb(config.store.url);
    try {
      await migrate(db);
      process.exitCode = group === 'risk' ? await riskCommand(db, command, { ...(values['as-of'] ? { asOf: values['as-of'] } : {}) }) : await auditVerify(db);
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
