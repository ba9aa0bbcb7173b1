import type { Log } from '../lib/log.ts';
import type { Registry, SourceEntry } from '../connectors/registry.ts';
import type { AuditEvent } from '../auth/audit.ts';
import { filterRecords } from '../auth/policy.ts';
import type { Principal } from '../auth/principal.ts';
import type { IndexedSubject } from '../store/subject-index.ts';
import { deadline } from '../lib/abort.ts';
import type { SearchQuery } from '../model/query.ts';
import { recordRef, SUBJECT_TYPES, type Identifier, type SourceRecord, type SubjectType } from '../model/record.ts';
import type { Subject, SubjectRisk } from '../model/subject.ts';
import { normaliseIdentifier, STRONG_SCHEMES } from '../resolution/identifiers.ts';
import type { Decision } from '../resolution/engine.ts';
import type { MatchModel } from '../resolution/model.ts';
import { mergeWithMatches } from '../resolution/merge.ts';
import { recognise } from '../resolution/recognise.ts';
import { AnswerCache } from './cache.ts';
import { fanOut, type SourceOutcome, type SourceStatus } from './fanout.ts';
import { plan } from './plan.ts';
import type { components } from '../generated/api.ts';

/** A search as officers ask it: the contract's SearchRequest (openapi/cirms-hub.yaml), not a copy of it. */
export type SearchInput = components['schemas']['SearchRequest'];

export interface SourceReport {
  id: string;
  status: SourceStatus;
  latencyMs: number;
  records: number;
  cached?: boolean;
  reason?: string;
}

export interface SearchResult {
  searchId: string;
  partial: boolean;
  tookMs: number;
  query: SearchQuery;
  sources: SourceReport[];
  subjects: Subject[];
}

export interface SearchSettings {
  defaultTimeoutMs: number;
  maxTimeoutMs: number;
  defaultLimit: number;
  /** Most linked subjects fetched in the second hop of one search. */
  maxExpansion: number;
}

/** Watches searches as they happen (metrics); every method is optional work off the answer's path. */
export interface SearchObserver {
  sourceAnswered(outcome: SourceOutcome): void;
  /** A source that filters by need-to-know itself returned records the hub then withheld. */
  pushDownMismatch(source: string, records: number): void;
  /** Returns the function to call when the search ends (`partial` undefined: it failed). */
  searchStarted(): (partial: boolean | undefined) => void;
}

/** Need-to-know for one search: what may be shown, and where the disclosure is recorded. */
export interface Access {
  /** Per source, the fields shown only to officers on the record's case. */
  sensitiveFields: Readonly<Record<string, readonly string[]>>;
  /** Records the search; when it throws, the search fails — no unaudited disclosure. */
  audit(event: AuditEvent): Promise<unknown>;
  /**
   * Current risk ratings by BR number, with only the reasons the principal may see. Absent: traders
   * are shown without ratings.
   */
  ratings?(brNumbers: readonly string[], principal: Principal): Promise<ReadonlyMap<string, SubjectRisk>>;
}

/** Where subjects are remembered by id, so one can be viewed again later (the subject index). */
export interface SubjectDirectory {
  remember(subjects: readonly Subject[]): Promise<void>;
  find(id: string): Promise<IndexedSubject | undefined>;
  /** Officers' standing decisions on pairs involving these records (`source:key`). */
  decisionsFor(refs: readonly string[]): Promise<Decision[]>;
  /** The active stored match model; undefined means the engine's defaults. */
  matchModel(): Promise<MatchModel | undefined>;
}

export interface SubjectView {
  subject: Subject;
  partial: boolean;
  sources: SourceReport[];
}

/** What one run of the sources gave, before it is audited and answered. */
interface Run {
  result: SearchResult;
  /** `source:key` of every record shown. */
  refs: string[];
  withheld: number;
  asked: string[];
}

/** A request the hub will not run, with the problem type and the field it concerns. */
export class SearchInputError extends Error {
  override readonly name = 'SearchInputError';
  readonly type: string;
  readonly field: string;
  constructor(type: string, field: string, message: string) {
    super(message);
    this.type = type;
    this.field = field;
  }
}

const FAILED: ReadonlySet<SourceStatus> = new Set(['timeout', 'error', 'unavailable']);

/**
 * One search, start to finish: understand the query, ask every source in parallel within the deadline,
 * fetch directly linked subjects (one hop) with what time is left, and merge everything into subjects.
 */
export class SearchService {
  readonly #registry: Registry;
  readonly #cache: AnswerCache;
  readonly #settings: SearchSettings;
  readonly #access: Access;
  readonly #directory: SubjectDirectory;
  readonly #observer: SearchObserver | undefined;

  constructor(
    registry: Registry,
    cache: AnswerCache,
    settings: SearchSettings,
    access: Access,
    directory: SubjectDirectory,
    observer?: SearchObserver,
  ) {
    this.#registry = registry;
    this.#cache = cache;
    this.#settings = settings;
    this.#access = access;
    this.#directory = directory;
    this.#observer = observer;
  }

  /**
   * The answer, and its audit entry being written: the caller must not let the answer out before
   * `audited` resolves (it rejects when the entry cannot be written, and then the search has failed).
   * Handing both back lets the caller serialise the answer while the store commits the entry.
   */
  async search(input: SearchInput, principal: Principal, searchId: string, log: Log, traceId?: string): Promise<{ result: SearchResult; audited: Promise<void> }> {
    const run = await this.#observed(() => this.#run(input, principal, searchId, log, traceId));
    const { result, refs, withheld, asked } = run;
    const audited = this.#access.audit({
      kind: 'search',
      actor: principal.userId,
      searchId,
      purpose: input.purpose,
      query: result.query,
      sources: asked,
      subjects: result.subjects.map((x) => x.id),
      records: refs,
      withheld,
    }).then(() => undefined);
    // The caller awaits it after its own synchronous work; until then a failure is not "unhandled".
    audited.catch(() => undefined);
    // Remembering ids for later views is not part of the answer: it must not delay or fail it.
    this.#directory.remember(result.subjects).catch((err: unknown) => log.warn({ err }, 'subject index not updated'));
    return { result, audited };
  }

  /**
   * One subject by its id, asked afresh of the sources as the principal: a subject the principal may
   * not see is not found, exactly like one that never existed — same answer, same audit entry.
   */
  async view(id: string, purpose: string, principal: Principal, searchId: string, log: Log, traceId?: string): Promise<SubjectView | undefined> {
    const indexed = await this.#directory.find(id);
    let found: SubjectView | undefined;
    let withheld = 0;
    if (indexed) {
      const query = 'name' in indexed.basis ? { name: indexed.basis.name } : { identifiers: indexed.basis.identifiers };
      const run = await this.#observed(() => this.#run({ query, types: [indexed.type], purpose, explain: true }, principal, searchId, log, traceId));
      const subject = run.result.subjects.find((x) => x.id === id);
      if (subject) {
        found = { subject, partial: run.result.partial, sources: run.result.sources };
        withheld = run.withheld;
      }
    }
    await this.#access.audit({
      kind: 'subject-view',
      actor: principal.userId,
      purpose,
      subjectId: id,
      records: found ? found.subject.records.map(recordRef) : [],
      withheld,
    });
    return found;
  }

  async #observed(fn: () => Promise<Run>): Promise<Run> {
    const ended = this.#observer?.searchStarted();
    let partial: boolean | undefined;
    try {
      const run = await fn();
      partial = run.result.partial;
      return run;
    } finally {
      ended?.(partial);
    }
  }

  async #run(input: SearchInput, principal: Principal, searchId: string, log: Log, traceId: string | undefined): Promise<Run> {
    const started = performance.now();
    const query = understand(input);
    const entries = this.#selectSources(input.sources);
    const limit = input.limit ?? this.#settings.defaultLimit;
    const budget = Math.min(input.timeoutMs ?? this.#settings.defaultTimeoutMs, this.#settings.maxTimeoutMs);
    const whole = deadline(budget);
    try {
      const ctx = {
        signal: whole.signal,
        searchId,
        log,
        cache: this.#cache,
        userId: principal.userId,
        ...(traceId ? { traceId } : {}),
        ...(this.#observer ? { observe: (o: SourceOutcome) => this.#observer!.sourceAnswered(o) } : {}),
      };
      // Need-to-know is applied to each hop's records before anything is merged, counted or used to
      // choose the next hop: a withheld record leaves no trace — not a name, a link, nor a count.
      const scope = { clearance: principal.level, cases: [...principal.cases].sort() };
      const first = await fanOut(plan(query, entries, limit, scope), ctx);
      let outcomes: readonly SourceSummary[] = first;
      const firstRecords = collect(first);
      const filtered = filterRecords(principal, firstRecords, this.#access.sensitiveFields);
      let records = filtered.visible;
      // The audit counts each withheld record once, however many hops or deliveries brought it.
      const withheld = new Set<string>();
      if (filtered.withheld > 0) {
        addWithheld(withheld, firstRecords, records);
        this.#checkPushDown(first, records, entries, log);
      }
      const explain = input.explain === true;
      let refs = records.map(recordRef);
      let subjects = await this.#merge(records, refs, explain);

      if (input.expand !== false && !whole.signal.aborted) {
        const targets = unresolvedTargets(subjects, this.#settings.maxExpansion);
        if (targets.identifiers.length > 0) {
          const second = await fanOut(plan(targets, entries, limit, scope), ctx);
          outcomes = combine(first, second);
          const secondRecords = collect(second);
          const more = filterRecords(principal, secondRecords, this.#access.sensitiveFields);
          if (more.withheld > 0) {
            addWithheld(withheld, secondRecords, more.visible);
            this.#checkPushDown(second, more.visible, entries, log);
          }
          if (more.visible.length > 0) {
            records = dedupeRecords(records.concat(more.visible));
            refs = records.map(recordRef);
            subjects = await this.#merge(records, refs, explain);
          }
        }
      }

      await this.#attachRatings(subjects, principal);
      const shown = new Map<string, number>();
      for (const r of records) shown.set(r.source, (shown.get(r.source) ?? 0) + 1);
      const sources = outcomes.map((o) => report(o, shown.get(o.id) ?? 0));
      return {
        result: {
          searchId,
          partial: sources.some((s) => FAILED.has(s.status)),
          tookMs: Math.round(performance.now() - started),
          query,
          sources,
          subjects,
        },
        refs,
        withheld: withheld.size,
        asked: outcomes.filter((o) => o.status !== 'skipped').map((o) => o.id),
      };
    } finally {
      whole.clear();
    }
  }

  /**
   * A source that filters by clearance and cases in its own query (push-down) should return nothing the
   * hub then withholds. When it does, its query or its labels are wrong: nothing leaves the hub (the
   * hub's own check stands), but it is a security event, logged and counted.
   */
  #checkPushDown(outcomes: readonly SourceOutcome[], visible: readonly SourceRecord[], entries: readonly SourceEntry[], log: Log): void {
    const shown = new Map<string, number>();
    for (const r of visible) shown.set(r.source, (shown.get(r.source) ?? 0) + 1);
    for (const o of outcomes) {
      const extra = o.records.length - (shown.get(o.id) ?? 0);
      if (extra <= 0 || !entries.find((e) => e.id === o.id)?.principalScoped) continue;
      log.warn({ securityEvent: 'push-down-mismatch', source: o.id, withheld: extra }, 'a source that filters by need-to-know returned records above the officer’s clearance or outside their cases');
      this.#observer?.pushDownMismatch(o.id, extra);
    }
  }

  /**
   * Merges visible records into subjects, obeying officers' decisions on any pair among them; subjects
   * that may be the same real one but did not score high enough say so, for an officer to judge.
   */
  async #merge(records: SourceRecord[], refs: readonly string[], evidence: boolean): Promise<Subject[]> {
    const [decisions, model] = await Promise.all([this.#directory.decisionsFor(refs), this.#directory.matchModel()]);
    const strongSchemes = this.#registry.strongSchemes();
    const { subjects, possibleMatches } = mergeWithMatches(records, {
      evidence,
      ...(decisions.length > 0 ? { decisions } : {}),
      ...(model ? { model } : {}),
      ...(strongSchemes ? { strongSchemes } : {}),
    });
    for (const s of subjects) {
      const possible = possibleMatches.get(s.id);
      if (possible) s.possibleMatches = possible;
    }
    return subjects;
  }

  /** Trader subjects carry their current rating: one lookup for the whole answer. */
  async #attachRatings(subjects: Subject[], principal: Principal): Promise<void> {
    if (!this.#access.ratings) return;
    const brOf = new Map<Subject, string>();
    for (const s of subjects) {
      if (s.type !== 'company') continue;
      const br = s.identifiers.find((i) => i.scheme === 'br' && i.valid);
      if (br) brOf.set(s, br.value);
    }
    if (brOf.size === 0) return;
    const ratings = await this.#access.ratings([...new Set(brOf.values())], principal);
    for (const [s, br] of brOf) {
      const r = ratings.get(br);
      if (r) s.risk = r;
    }
  }

  #selectSources(ids: string[] | undefined) {
    const all = this.#registry.snapshot();
    if (!ids) return all;
    const unknown = ids.filter((id) => !this.#registry.get(id));
    if (unknown.length > 0) {
      throw new SearchInputError('unknown-source', '/sources', `unknown source ${unknown.map((u) => JSON.stringify(u)).join(', ')}`);
    }
    const wanted = new Set(ids);
    return all.filter((e) => wanted.has(e.id));
  }
}

/** Turns the request's query (and free text) into names and identifiers the planner can bind. */
export function understand(input: SearchInput): SearchQuery {
  const identifiers: Identifier[] = [...(input.query.identifiers ?? [])];
  let name = input.query.name?.trim() || undefined;
  if (input.query.text !== undefined) {
    const r = recognise(input.query.text);
    identifiers.push(...r.identifiers);
    if (r.name !== undefined && name === undefined) name = r.name;
  }
  if (name === undefined && identifiers.length === 0) {
    throw new SearchInputError('empty-query', '/query', 'the query must hold a name, an identifier, or text that is one of them');
  }
  return { ...(name !== undefined ? { name } : {}), identifiers, types: input.types ?? [...SUBJECT_TYPES] };
}

function collect(outcomes: readonly SourceOutcome[]): SourceRecord[] {
  const out: SourceRecord[] = [];
  for (const o of outcomes) for (const r of o.records) out.push(r);
  return out;
}

/** Adds the `source:key` of every record of `all` that is not among `visible`. */
function addWithheld(into: Set<string>, all: readonly SourceRecord[], visible: readonly SourceRecord[]): void {
  const shown = new Set(visible.map(recordRef));
  for (const r of all) {
    const ref = recordRef(r);
    if (!shown.has(ref)) into.add(ref);
  }
}

function dedupeRecords(records: SourceRecord[]): SourceRecord[] {
  const seen = new Set<string>();
  return records.filter((r) => {
    const k = `${r.source}\u0000${r.key}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Strong identifiers of linked subjects that are not yet in the answer: the second hop's query. */
function unresolvedTargets(subjects: readonly Subject[], max: number): SearchQuery {
  const identifiers: Identifier[] = [];
  const types = new Set<SubjectType>();
  const seen = new Set<string>();
  for (const s of subjects) {
    for (const link of s.links) {
      if (link.subject !== undefined) continue;
      for (const id of link.target.identifiers) {
        if (!STRONG_SCHEMES[link.target.type].includes(id.scheme)) continue;
        const n = normaliseIdentifier(id);
        const k = `${n.scheme}:${n.value}`;
        if (!n.valid || seen.has(k)) continue;
        seen.add(k);
        identifiers.push({ scheme: n.scheme, value: n.value });
        types.add(link.target.type);
        if (identifiers.length >= max) return { identifiers, types: [...types] };
      }
    }
  }
  return { identifiers, types: [...types] };
}

/** What the answer says of a source: its outcome without the records (those are counted as shown). */
type SourceSummary = Omit<SourceOutcome, 'records'>;

/** A source's outcome over both hops: latencies add up; the worse status stands. */
function combine(first: readonly SourceOutcome[], second: readonly SourceOutcome[]): SourceSummary[] {
  const rank: Record<SourceStatus, number> = { skipped: 0, ok: 1, error: 2, unavailable: 3, timeout: 4 };
  const byId = new Map(second.map((o) => [o.id, o]));
  return first.map((a) => {
    const b = byId.get(a.id);
    if (!b || b.status === 'skipped') return a;
    if (a.status === 'skipped') return b;
    const worse = rank[b.status] > rank[a.status] ? b : a;
    const out: SourceSummary = { id: a.id, status: worse.status, latencyMs: a.latencyMs + b.latencyMs, cached: a.cached && b.cached };
    if (worse.reason !== undefined) out.reason = worse.reason;
    return out;
  });
}

/** `records` counts what the principal is shown, never what the source returned. */
function report(o: SourceSummary, shown: number): SourceReport {
  const r: SourceReport = { id: o.id, status: o.status, latencyMs: o.latencyMs, records: shown };
  if (o.status === 'ok') r.cached = o.cached;
  if (o.reason !== undefined) r.reason = o.reason;
  return r;
}
