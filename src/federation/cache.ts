import { LRUCache } from 'lru-cache';
import type { SourceEntry } from '../connectors/registry.ts';
import type { BoundQuery } from '../model/query.ts';
import type { SourceRecord } from '../model/record.ts';

/**
 * Short-lived per-source answers, keyed by source version + normalised query, so a burst of officers
 * looking up the same subject costs each source one request. Only complete answers are kept, and a new
 * definition of a source (a new version) never serves the old one's answers.
 */
export class AnswerCache {
  readonly #lru: LRUCache<string, readonly SourceRecord[]> | undefined;
  hits = 0;
  misses = 0;

  constructor(opts: { max: number; ttlMs: number }) {
    this.#lru = opts.max > 0 && opts.ttlMs > 0 ? new LRUCache({ max: opts.max, ttl: opts.ttlMs }) : undefined;
  }

  /**
   * A source that receives the officer's identity may answer each officer differently (its own access
   * rules), so its answers are kept per officer; one that filters by clearance and cases itself
   * (push-down), per clearance and cases. Everyone else's are shared — need-to-know is applied after
   * the cache, to every answer alike.
   */
  static key(entry: SourceEntry, q: BoundQuery, userId: string | undefined): string {
    const perUser = 'forwardIdentity' in entry.definition && entry.definition.forwardIdentity ? `|${userId ?? ''}` : '';
    const perScope = entry.principalScoped ? `|${q.params.clearance}|${(q.params.cases ?? []).join(',')}` : '';
    return `${entry.id}@${entry.version}|${q.type}|${q.by}|${q.params.value}|${q.params.limit}${perUser}${perScope}`;
  }

  get(key: string): readonly SourceRecord[] | undefined {
    if (!this.#lru) return undefined;
    const v = this.#lru.get(key);
    if (v) this.hits++;
    else this.misses++;
    return v;
  }

  set(key: string, records: readonly SourceRecord[]): void {
    this.#lru?.set(key, records);
  }
}
