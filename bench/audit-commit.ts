// How long one search's audit entry takes to become durable — what every search waits for before its
// answer leaves: an entry the size of the federated benchmark's (50 subjects, 250 record keys), one at a
// time on an otherwise idle store, through the AuditWriter searches use and through appendAudit (its own
// transaction, as audited changes use).
//
//   node bench/audit-commit.ts [--store postgres://…] [--count 200]

import { parseArgs } from 'node:util';
import { appendAudit, AuditWriter, type AuditEvent } from '../src/auth/audit.ts';
import { openDb } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';

const { values } = parseArgs({
  options: {
    store: { type: 'string', default: process.env.BENCH_STORE_URL ?? 'postgres://postgres@127.0.0.1:5432/cirms_bench' },
    count: { type: 'string', default: '200' },
  },
});
const db = await openDb(values.store);
await migrate(db);
const entry: AuditEvent = {
  kind: 'search',
  actor: 'bench-audit',
  searchId: 'bench',
  purpose: 'benchmark',
  query: { identifiers: [{ scheme: 'hkid', value: 'A1234563' }], types: ['person'] },
  sources: ['bench-1', 'bench-2', 'bench-3', 'bench-4', 'bench-5'],
  subjects: Array.from({ length: 50 }, (_, i) => `sub_${String(i).padStart(22, '0')}`),
  records: Array.from({ length: 250 }, (_, i) => `bench-${(i % 5) + 1}:s${(i % 5) + 1}-p${String(i).padStart(3, '0')}`),
  withheld: 0,
};
const writer = new AuditWriter(db);
async function timed(append: () => Promise<unknown>): Promise<{ p50: number; p90: number; p99: number }> {
  for (let i = 0; i < 20; i++) await append();
  const ms: number[] = [];
  for (let i = 0; i < Number(values.count); i++) {
    const t = performance.now();
    await append();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => +ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!.toFixed(2);
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99) };
}
const searchPath = await timed(() => writer.append(entry));
const ownTransaction = await timed(() => appendAudit(db, entry));
const settings = await db.query<{ name: string; setting: string }>(`SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit')`);
process.stdout.write(
  JSON.stringify({
    store: values.store.replace(/\/\/[^@]*@/, '//'),
    entries: Number(values.count),
    writerMs: searchPath,
    ownTransactionMs: ownTransaction,
    settings: Object.fromEntries(settings.rows.map((r) => [r.name, r.setting])),
  }) + '\n',
);
await db.close();
