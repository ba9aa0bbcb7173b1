// Need-to-know, in one place and without I/O. Applied to every source's records BEFORE they are merged,
// counted or used to expand the search, so nothing withheld can surface through a link or a subject.
//
//   visible  ⇔  principal.level ≥ record.level  ∧  record.cases ⊆ principal.cases
//
// A record with no case needs none. A record whose labels cannot be read is withheld (default deny).
// A record's sensitive fields (configured per source) are shown only to an officer on the record's
// case; a record with no case has no such officer, so its sensitive fields are shown to no one.
import type { SourceRecord } from '../model/record.ts';
import type { Role } from './config.ts';
import type { Principal } from './principal.ts';

export type Clearance = Pick<Principal, 'level' | 'cases'>;

export function visible(principal: Clearance, record: SourceRecord): boolean {
  if (!labelsReadable(record)) return false;
  return principal.level >= record.level && record.cases.every((c) => principal.cases.has(c));
}

/**
 * The records the principal may see, with sensitive fields removed. Records are never changed in place
 * — the same source answer may be cached and served to officers with other clearances — so a record
 * that loses fields is a new object, and one that loses nothing is passed on as it is (records are
 * immutable throughout the hub).
 */
export function filterRecords(
  principal: Clearance,
  records: readonly SourceRecord[],
  sensitiveFieldsBySource: Readonly<Record<string, readonly string[]>>,
): { visible: SourceRecord[]; withheld: number } {
  const out: SourceRecord[] = [];
  for (const record of records) {
    if (!visible(principal, record)) continue;
    const sensitive = Object.hasOwn(sensitiveFieldsBySource, record.source) ? sensitiveFieldsBySource[record.source]! : [];
    const strip = sensitive.length > 0 && !onCase(principal, record) ? sensitive.filter((f) => Object.hasOwn(record.fields, f)) : [];
    if (strip.length === 0) {
      out.push(record);
      continue;
    }
    const fields = { ...record.fields };
    for (const f of strip) delete fields[f];
    out.push({ ...record, fields });
  }
  return { visible: out, withheld: records.length - out.length };
}

function onCase(principal: Clearance, record: SourceRecord): boolean {
  return record.cases.length > 0 && record.cases.every((c) => principal.cases.has(c));
}

/** Labels the policy can judge: a whole, non-negative level and a list of non-empty case ids. */
function labelsReadable(record: SourceRecord): boolean {
  return (
    Number.isSafeInteger(record.level) &&
    record.level >= 0 &&
    Array.isArray(record.cases) &&
    record.cases.every((c) => typeof c === 'string' && c.trim() !== '')
  );
}

/** What each role may do through the API; anything not listed is denied. */
const PERMISSIONS = {
  search: ['officer', 'investigator', 'analyst', 'supervisor', 'risk-manager'],
  'view-subject': ['officer', 'investigator', 'analyst', 'supervisor', 'risk-manager'],
  'decide-links': ['investigator', 'analyst', 'supervisor'],
  'manage-cases': ['supervisor'],
  'manage-sources': ['connector-admin'],
  'manage-risk': ['risk-manager'],
  'read-audit': ['auditor'],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof PERMISSIONS;

export function may(principal: Pick<Principal, 'roles'>, action: Action): boolean {
  const allowed: readonly Role[] = PERMISSIONS[action];
  return principal.roles.some((r) => allowed.includes(r));
}
