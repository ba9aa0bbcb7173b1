// Rule sets in the store: every version kept; a version is edited only while a draft; activating one
// retires the active one. Only the risk-manager role reaches these (the routes guard 'manage-risk');
// every change is audited in the same transaction.
import { appendAuditIn } from '../auth/audit.ts';
import type { Db } from '../store/db.ts';
import { DEFAULT_RULE_SET, validateRuleSet, type RuleSetDocument } from './rules.ts';

type Query = Pick<Db, 'query'>;

export type RuleSetStatus = 'draft' | 'active' | 'retired';

export interface RuleSetVersion {
  version: number;
  name: string;
  status: RuleSetStatus;
  document: RuleSetDocument;
  createdBy: string;
  createdAt: string;
  activatedBy: string | null;
  activatedAt: string | null;
}

export class RuleSetStateError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

interface Row {
  version: number;
  name: string;
  status: RuleSetStatus;
  document: RuleSetDocument;
  created_by: string;
  created_at: Date | string;
  activated_by: string | null;
  activated_at: Date | string | null;
}

const iso = (v: Date | string | null): string | null => (v === null ? null : v instanceof Date ? v.toISOString() : new Date(v).toISOString());

function fromRow(r: Row): RuleSetVersion {
  return {
    version: Number(r.version),
    name: r.name,
    status: r.status,
    document: r.document,
    createdBy: r.created_by,
    createdAt: iso(r.created_at) as string,
    activatedBy: r.activated_by,
    activatedAt: iso(r.activated_at),
  };
}

const COLUMNS = 'version, name, status, document, created_by, created_at, activated_by, activated_at';

/** Creates version 1 from DEFAULT_RULE_SET, active, when the store has no rule set yet. */
export async function ensureDefaultRuleSet(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(20160106)');
    const { rows } = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM risk_rule_sets');
    if ((rows[0]?.n ?? 0) > 0) return;
    await tx.query(
      `INSERT INTO risk_rule_sets (name, status, document, created_by, activated_by, activated_at) VALUES ($1, 'active', $2, 'system', 'system', now())`,
      [DEFAULT_RULE_SET.name, JSON.stringify(DEFAULT_RULE_SET)],
    );
  });
}

export async function listRuleSets(db: Query): Promise<RuleSetVersion[]> {
  return (await db.query<Row>(`SELECT ${COLUMNS} FROM risk_rule_sets ORDER BY version`)).rows.map(fromRow);
}

export async function getRuleSet(db: Query, version: number): Promise<RuleSetVersion | undefined> {
  const row = (await db.query<Row>(`SELECT ${COLUMNS} FROM risk_rule_sets WHERE version = $1`, [version])).rows[0];
  return row && fromRow(row);
}

export async function activeRuleSet(db: Query): Promise<RuleSetVersion | undefined> {
  const row = (await db.query<Row>(`SELECT ${COLUMNS} FROM risk_rule_sets WHERE status = 'active'`)).rows[0];
  return row && fromRow(row);
}

export async function createRuleSet(db: Db, document: unknown, actor: string): Promise<RuleSetVersion> {
  const doc = validateRuleSet(document);
  return db.transaction(async (tx) => {
    const row = (
      await tx.query<Row>(`INSERT INTO risk_rule_sets (name, status, document, created_by) VALUES ($1, 'draft', $2, $3) RETURNING ${COLUMNS}`, [
        doc.name,
        JSON.stringify(doc),
        actor,
      ])
    ).rows[0] as Row;
    await appendAuditIn(tx, { kind: 'admin', actor, action: 'risk-rule-set-create', target: `rule-set:${row.version}`, detail: { name: doc.name } });
    return fromRow(row);
  });
}

export async function updateRuleSet(db: Db, version: number, document: unknown, actor: string): Promise<RuleSetVersion> {
  const doc = validateRuleSet(document);
  return db.transaction(async (tx) => {
    const current = (await tx.query<{ status: RuleSetStatus }>('SELECT status FROM risk_rule_sets WHERE version = $1 FOR UPDATE', [version])).rows[0];
    if (!current) throw new RuleSetStateError(404, `rule set version ${version} does not exist`);
    if (current.status !== 'draft') throw new RuleSetStateError(409, `rule set version ${version} is ${current.status}: only a draft is edited; create a new version`);
    const row = (
      await tx.query<Row>(`UPDATE risk_rule_sets SET name = $2, document = $3, updated_at = now() WHERE version = $1 RETURNING ${COLUMNS}`, [
        version,
        doc.name,
        JSON.stringify(doc),
      ])
    ).rows[0] as Row;
    await appendAuditIn(tx, { kind: 'admin', actor, action: 'risk-rule-set-update', target: `rule-set:${version}`, detail: { name: doc.name } });
    return fromRow(row);
  });
}

export async function activateRuleSet(db: Db, version: number, actor: string): Promise<RuleSetVersion> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(20160106)');
    const current = (await tx.query<{ status: RuleSetStatus }>('SELECT status FROM risk_rule_sets WHERE version = $1 FOR UPDATE', [version])).rows[0];
    if (!current) throw new RuleSetStateError(404, `rule set version ${version} does not exist`);
    if (current.status !== 'draft') throw new RuleSetStateError(409, `rule set version ${version} is ${current.status}: only a draft is activated`);
    const previous = (await tx.query<{ version: number }>(`UPDATE risk_rule_sets SET status = 'retired', updated_at = now() WHERE status = 'active' RETURNING version`)).rows[0];
    const row = (
      await tx.query<Row>(
        `UPDATE risk_rule_sets SET status = 'active', activated_by = $2, activated_at = now(), updated_at = now() WHERE version = $1 RETURNING ${COLUMNS}`,
        [version, actor],
      )
    ).rows[0] as Row;
    await appendAuditIn(tx, {
      kind: 'admin',
      actor,
      action: 'risk-rule-set-activate',
      target: `rule-set:${version}`,
      detail: { retired: previous ? Number(previous.version) : null },
    });
    return fromRow(row);
  });
}
