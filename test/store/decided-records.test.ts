import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/store/db.ts';
import { DecidedRecords, recordDecision } from '../../src/store/link-decisions.ts';
import { migrate } from '../../src/store/migrate.ts';

let db: Db;
let queries = 0;
/** The store as DecidedRecords sees it, counting the queries it sends. */
const counted = { query: ((...args: Parameters<Db['query']>) => (queries++, db.query(...args))) as Db['query'] };

beforeAll(async () => {
  db = await openDb('memory:');
  await migrate(db);
});
afterAll(() => db.close());

const decide = (a: string, b: string, decision: 'confirm' | 'reject' = 'confirm') => recordDecision(db, { a, b, decision, reason: 'seen together', by: 'insp-lam' });

describe('DecidedRecords', () => {
  it('asks the store nothing for records no officer has decided on, between refreshes', async () => {
    await decide('itd:1', 'cis:9');
    const decided = new DecidedRecords(counted, { refreshMs: 60_000 });
    expect(await decided.decisionsFor(['itd:7', 'cis:8'])).toEqual([]);
    const afterFirst = queries;
    for (let i = 0; i < 5; i++) expect(await decided.decisionsFor(['itd:7', 'cis:8'])).toEqual([]);
    expect(queries).toBe(afterFirst);
    // A record with a decision: the standing decisions come from the store.
    expect((await decided.decisionsFor(['itd:1', 'itd:7'])).map((d) => [d.a, d.b, d.decision])).toEqual([['cis:9', 'itd:1', 'confirm']]);
  });

  it('obeys a decision taken through this hub at once, and one taken elsewhere by the next refresh', async () => {
    const slow = new DecidedRecords(db, { refreshMs: 60_000 });
    expect(await slow.decisionsFor(['itd:2'])).toEqual([]);
    const d = await decide('itd:2', 'cis:2');
    // Another replica wrote it: not seen before this one refreshes...
    expect(await slow.decisionsFor(['itd:2'])).toEqual([]);
    // ...unless this hub took it itself.
    slow.noted(d);
    expect(await slow.decisionsFor(['itd:2'])).toHaveLength(1);

    const eager = new DecidedRecords(db, { refreshMs: 0 });
    expect(await eager.decisionsFor(['itd:3'])).toEqual([]);
    await decide('itd:3', 'cis:3', 'reject');
    expect((await eager.decisionsFor(['itd:3'])).map((x) => x.decision)).toEqual(['reject']);
  });

  it('reads a decision that commits behind a higher id already read', async () => {
    const decided = new DecidedRecords(db, { refreshMs: 0 });
    const { rows } = await db.query<{ id: string }>(`SELECT nextval('link_decisions_id_seq') AS id`);
    const early = Number(rows[0]!.id);
    await decide('itd:4', 'cis:4');
    expect(await decided.decisionsFor(['itd:5'])).toEqual([]);
    // The id taken first commits last.
    await db.query(`INSERT INTO link_decisions (id, record_a, record_b, decision, reason, decided_by) VALUES ($1, 'cis:5', 'itd:5', 'confirm', 'late', 'insp-lam')`, [early]);
    expect(await decided.decisionsFor(['itd:5'])).toHaveLength(1);
  });
});
