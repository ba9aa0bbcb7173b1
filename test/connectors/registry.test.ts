import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry, VersionConflictError } from '../../src/connectors/registry.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { scratchDatabase, type ScratchDb } from '../support/postgres.ts';
import { peopleSource } from '../support/sources.ts';

const log = pino({ level: 'silent' });
let scratch: ScratchDb;
let dbA: Db;
let dbB: Db;

beforeAll(async () => {
  scratch = await scratchDatabase();
  dbA = await openDb(scratch.url);
  dbB = await openDb(scratch.url);
  await migrate(dbA);
  await migrate(dbB);
});
afterAll(async () => {
  await dbA.close();
  await dbB.close();
  await scratch.close();
});

describe('registry shared by two replicas on one store', () => {
  it('a change written through one replica reaches the other at its next refresh', async () => {
    const a = new Registry(dbA, log);
    const b = new Registry(dbB, log);
    await a.load();
    await b.load();
    await a.write(peopleSource('extra', 'http://127.0.0.1:9'), { by: 'alice', expectedVersion: 0 });
    expect(a.get('extra')?.version).toBe(1);
    expect(b.get('extra')).toBeUndefined();
    expect(await b.refresh()).toBe(true);
    expect(b.get('extra')?.version).toBe(1);
    expect(await b.refresh()).toBe(false);
    await a.close();
    await b.close();
  });

  it('of two writers that read the same version, only one wins', async () => {
    const a = new Registry(dbA, log);
    const b = new Registry(dbB, log);
    const def = peopleSource('race', 'http://127.0.0.1:9');
    const results = await Promise.allSettled([
      a.write(def, { by: 'alice', expectedVersion: 0 }),
      b.write({ ...def, timeoutMs: 100 }, { by: 'bob', expectedVersion: 0 }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toBeInstanceOf(VersionConflictError);
    expect((await a.history('race')).map((v) => v.version)).toEqual([1]);
    await a.close();
    await b.close();
  });
});
