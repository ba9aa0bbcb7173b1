// The canonical shapes every part of the hub speaks. Connectors produce SourceRecords; resolution turns
// them into Subjects. Nothing here does I/O.

export const SUBJECT_TYPES = ['person', 'company', 'vehicle'] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];

/** Identifier schemes the hub validates and normalises; any other scheme is compared exactly. */
export const KNOWN_SCHEMES = ['hkid', 'br', 'cr', 'vehicle_mark', 'phone', 'passport'] as const;

export interface Identifier {
  scheme: string;
  /** As the source gave it; normalisation happens in resolution/, never in a connector. */
  value: string;
}

export interface Name {
  value: string;
  /** `latin` for romanised/English forms, `han` for Chinese characters. Connectors may omit it. */
  script?: 'latin' | 'han';
}

/** A relation a record asserts to another subject, identified the way the source knows it. */
export interface RecordLink {
  type: string;
  target: {
    type: SubjectType;
    identifiers: Identifier[];
    name?: string;
  };
}

export interface SourceRecord {
  source: string;
  /** Stable id of the row/document in its source. */
  key: string;
  type: SubjectType;
  names: Name[];
  identifiers: Identifier[];
  /** Comparable attributes: dateOfBirth, address, phone… (strings, as the source gave them). */
  attributes: Record<string, string>;
  links: RecordLink[];
  /** Security level (0 = lowest). Labels are read by the connector, judged by auth/. */
  level: number;
  /** Case compartments the record belongs to; empty = no case restriction. */
  cases: string[];
  observedAt?: string;
  /** The source's own fields as mapped for display. */
  fields: Record<string, unknown>;
}

/** How the hub names one record everywhere (audit entries, link decisions, explanations): `source:key`. */
export function recordRef(r: { source: string; key: string }): string {
  return `${r.source}:${r.key}`;
}
