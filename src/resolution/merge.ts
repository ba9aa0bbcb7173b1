// Online entry point: turns one search's SourceRecords into Subjects with the resolution engine
// (engine.ts): blocking, weighted comparison, clustering under hard constraints, an explanation on
// every link. Records are processed in a canonical order (source, key), so the result does not depend
// on the order the sources answered in.

import type { SourceRecord, SubjectType } from '../model/record.ts';
import type { PossibleSubjectMatch, Subject } from '../model/subject.ts';
import { assembleSubject, resolveLinkTargets } from './assemble.ts';
import { explanationOf } from './explanation.ts';
import { resolvePrepared, type Decision, type EngineOptions } from './engine.ts';
import type { MatchModel } from './model.ts';
import { prepare, sharedNormaliser, type Prepared } from './prepare.ts';
import { compare, pushTo } from './util.ts';

/** A subject of the answer that may be the same as another one: for an officer to judge. */

export interface MergeOptions {
  model?: MatchModel;
  /** Officers' confirmations and rejections of record pairs. */
  decisions?: readonly Decision[];
  /** Schemes a source declared strong, per subject type. */
  strongSchemes?: Partial<Record<SubjectType, readonly string[]>>;
  maxBlock?: number;
  /** Links and possible matches carry their evidence as items too, beside the explanation (default true). */
  evidence?: boolean;
}

export interface MergeResult {
  subjects: Subject[];
  /** Subject id → its possible matches, strongest first. */
  possibleMatches: Map<string, PossibleSubjectMatch[]>;
}

export function mergeRecords(records: SourceRecord[], options: MergeOptions = {}): Subject[] {
  return mergeWithMatches(records, { ...options, possibles: false }).subjects;
}

/** As mergeRecords, with the possible matches between the subjects. */
export function mergeWithMatches(records: SourceRecord[], options: MergeOptions & { possibles?: boolean } = {}): MergeResult {
  const normaliser = sharedNormaliser;
  const prepareOptions = options.strongSchemes ? { strongSchemes: options.strongSchemes } : {};
  const prepared = canonicalOrder(records).map((r) => prepare(r, normaliser, prepareOptions));
  const engineOptions: EngineOptions = { possibles: options.possibles ?? true };
  if (options.model) engineOptions.model = options.model;
  if (options.decisions) engineOptions.decisions = options.decisions;
  if (options.maxBlock) engineOptions.maxBlock = options.maxBlock;
  const resolution = resolvePrepared(prepared, engineOptions);

  const members = new Map<number, Prepared[]>();
  const edgesOf = new Map<number, typeof resolution.edges>();
  prepared.forEach((p, i) => pushTo(members, resolution.root[i] as number, p));
  for (const e of resolution.edges) pushTo(edgesOf, resolution.root[e.a] as number, e);

  const withEvidence = options.evidence ?? true;
  const built = [...members].map(([root, ps]) => assembleSubject(root, ps, edgesOf.get(root) ?? [], prepared, normaliser, withEvidence));
  resolveLinkTargets(built, normaliser);
  const subjects = built.map((b) => b.subject).sort((x, y) => y.records.length - x.records.length || compare(x.id, y.id));

  const possibleMatches = new Map<string, PossibleSubjectMatch[]>();
  if (resolution.possible.length > 0) {
    const idOf = new Map<Prepared, string>();
    for (const b of built) for (const p of b.members) idOf.set(p, b.subject.id);
    for (const pm of resolution.possible) {
      const sa = idOf.get(prepared[pm.a] as Prepared);
      const sb = idOf.get(prepared[pm.b] as Prepared);
      if (!sa || !sb) continue;
      const refs = [(prepared[pm.a] as Prepared).ref, (prepared[pm.b] as Prepared).ref] as const;
      const base = { score: pm.score, explanation: explanationOf(pm.evidence), ...(withEvidence ? { evidence: pm.evidence } : {}), ...(pm.refused ? { refused: pm.refused } : {}) };
      pushTo(possibleMatches, sa, { subject: sb, record: refs[0], otherRecord: refs[1], ...base });
      pushTo(possibleMatches, sb, { subject: sa, record: refs[1], otherRecord: refs[0], ...base });
    }
  }
  return { subjects, possibleMatches };
}

function canonicalOrder(records: SourceRecord[]): SourceRecord[] {
  // The serialised record only breaks ties between duplicates of one source:key.
  const tie = (r: SourceRecord) => JSON.stringify(r);
  return [...records].sort((x, y) => compare(x.source, y.source) || compare(x.key, y.key) || compare(tie(x), tie(y)));
}
