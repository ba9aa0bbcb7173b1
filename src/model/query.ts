import type { Identifier, SubjectType } from './record.ts';

/** What the caller asked, after free text has been recognised. */
export interface SearchQuery {
  name?: string;
  identifiers: Identifier[];
  types: SubjectType[];
}

/**
 * The same query in the forms a source's template can bind: the hub normalises once, every connector
 * binds the same values, so sources never re-implement Hong Kong normalisation.
 */
export interface BoundQuery {
  type: SubjectType;
  /** `name`, or an identifier scheme such as `hkid`. */
  by: string;
  params: QueryParams;
}

export interface QueryParams {
  /** The value as the caller typed it. */
  raw: string;
  /** Normalised identifier (A1234563) or normalised name (CHAN TAI MAN). */
  value: string;
  /** Name only: upper-case letters with spaces removed, in each plausible token order (CHANTAIMAN, TAIMANCHAN). */
  compact: string[];
  /** Name only: normalised tokens. */
  tokens: string[];
  /** Name only: each compact form followed by `%`, for prefix matching (company names with suffixes). */
  prefixes: string[];
  limit: number;
  /**
   * The asking officer's security level, for sources that filter by it themselves (push-down). Absent
   * (a connection test) binds NULL, so a filtering template returns nothing.
   */
  clearance?: number;
  /** The asking officer's case ids, likewise. */
  cases?: string[];
}
