#!/usr/bin/env node
// `npx cirms …`: operator commands that run against the hub's store without starting the hub.
//   cirms audit verify [--config FILE]   walk the audit hash chain; exit 1 if anything was changed
import { parseArgs } from 'node:util';
import { verifyAudit } from './auth/audit.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openDb } from './store/db.ts';
import { migrate } from './store/migrate.ts';

const USAGE = 'usage: cirms audit verify [--config FILE]';

const { values, positionals } = parseArgs({ options: { config: { type: 'string' } }, allowPositionals: true });
const [group, command] = positionals;

if (group === 'audit' && command === 'verify') {
  try {
    const file = values.config ?? process.env.HUB_CONFIG ?? new URL('../config/hub.yaml', import.meta.url).pathname;
    const config = await loadConfig(file, { withoutSources: true });
    const db = await openDb(config.store.url);
    try {
      await migrate(db);
      const result = await verifyAudit(db);
      for (const p of result.problems) console.log(`entry ${p.seq}: ${p.problem} — ${p.detail}`);
      console.log(`${result.ok ? 'audit trail intact' : 'AUDIT TRAIL BROKEN'}: ${result.entries} entries, head ${result.head.seq} ${result.head.hash}`);
      process.exitCode = result.ok ? 0 : 1;
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
