import type { SubjectType } from './record.ts';

/** A trader's current risk rating as a search shows it: reasons the officer may not see are left out. */
export interface SubjectRisk {
  level: string;
  score: number;
  /** True when an officer's review decided the level. */
  decided: boolean;
  ruleSetVersion: number;
  ratedAt: string;
  reasons: { code: string; [detail: string]: unknown }[];
}

/** One field's contribution to a link decision, so an officer can see why two records were joined. */
export interface LinkEvidence {
  field: string;
  comparison: 'exact' | 'close' | 'different' | 'missing';
  weight: number;
  detail: string;
}

/** Why a record sits in its subject: the record it was linked to, by which rule, with what evidence. */
export interface Linkage {
  /** `source:key` of the record this one was linked to. */
  with: string;
  /**
   * `identifier`: a shared valid strong identifier; `match`: the weighted comparison scored above the
   * link threshold; `decision`: an officer confirmed it.
   */
  rule: 'identifier' | 'match' | 'decision';
  /** Sum of the evidence weights (log2 likelihood ratios). */
  score: number;
  /** The evidence as one line an officer reads: each finding with its weight, adding up to the score. */
  explanation: string;
  /** The same evidence as items, when asked for (search `explain`, and always in a subject view). */
  evidence?: LinkEvidence[];
}

/** Another subject of the same answer that may be the same real one: for an officer to judge. */
export interface PossibleSubjectMatch {
  subject: string;
  /** `source:key` of the record on this subject's side and on the other's. */
  record: string;
  otherRecord: string;
  score: number;
  explanation: string;
  evidence?: LinkEvidence[];
  /** Why it was not linked although it scored above the link threshold (a hard constraint). */
  refused?: string;
}

export interface SubjectName {
  value: string;
  script: 'latin' | 'han';
  sources: string[];
}

export interface SubjectIdentifier {
  scheme: string;
  /** Normalised value (HKID as A1234563, vehicle mark upper case without spaces…). */
  value: string;
  valid: boolean;
  sources: string[];
}

export interface SubjectRecord {
  source: string;
  key: string;
  observedAt?: string;
  fields: Record<string, unknown>;
  linkedBy: Linkage[];
}

export interface SubjectLink {
  type: string;
  /** Id of the linked subject when it is part of the same answer. */
  subject?: string;
  target: { type: SubjectType; name?: string; identifiers: { scheme: string; value: string }[] };
  sources: string[];
}

export interface Subject {
  id: string;
  type: SubjectType;
  displayName: string;
  names: SubjectName[];
  identifiers: SubjectIdentifier[];
  attributes: Record<string, { value: string; sources: string[] }[]>;
  records: SubjectRecord[];
  links: SubjectLink[];
  /** Traders only: the current risk rating, when the risk engine knows the trader. */
  risk?: SubjectRisk;
  /** Subjects of this answer that may be the same as this one, never merged without an officer. */
  possibleMatches?: PossibleSubjectMatch[];
}
