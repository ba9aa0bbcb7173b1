import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Registry as SourceRegistry } from '../connectors/registry.ts';
import type { AnswerCache } from '../federation/cache.ts';
import type { SourceOutcome } from '../federation/fanout.ts';

const CIRCUIT_VALUE = { closed: 0, 'half-open': 1, open: 2, isolated: 3 } as const;

/**
 * What an operator watches: per-source latency and outcomes, circuit states, search latency, cache hit
 * ratio, searches in flight. One prom-client registry per hub (not the global default), so several hubs
 * in one process — tests — keep their figures apart. Values read from elsewhere (circuits, cache) are
 * collected at scrape time rather than pushed on the hot path.
 */
export class HubMetrics {
  readonly registry = new Registry();
  readonly #sourceSeconds: Histogram<'source' | 'status'>;
  readonly #searchSeconds: Histogram<'partial'>;
  readonly #inFlight: Gauge;
  readonly #pushDownMismatches: Counter<'source'>;

  constructor(sources: SourceRegistry, cache: AnswerCache) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'cirms_' });
    this.#sourceSeconds = new Histogram({
      name: 'cirms_source_request_duration_seconds',
      help: 'Time a source took to answer one search, by outcome (ok, timeout, error, unavailable).',
      labelNames: ['source', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.#searchSeconds = new Histogram({
      name: 'cirms_search_duration_seconds',
      help: 'Time to answer one search, by whether the answer was partial.',
      labelNames: ['partial'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.#inFlight = new Gauge({ name: 'cirms_searches_in_flight', help: 'Searches being answered now.', registers });
    this.#pushDownMismatches = new Counter({
      name: 'cirms_security_pushdown_mismatches_total',
      help: 'Records a source that filters by need-to-know itself returned and the hub withheld (its query or labels are wrong).',
      labelNames: ['source'],
      registers,
    });
    new Gauge({
      name: 'cirms_source_circuit_state',
      help: 'Circuit breaker per source: 0 closed, 1 half-open, 2 open, 3 isolated.',
      labelNames: ['source'],
      registers,
      collect() {
        this.reset();
        for (const e of sources.snapshot()) this.set({ source: e.id }, CIRCUIT_VALUE[e.policy.circuit]);
      },
    });
    new Counter({
      name: 'cirms_answer_cache_lookups_total',
      help: 'Answer cache lookups by result; hit ratio = hit / (hit + miss).',
      labelNames: ['result'],
      registers,
      collect() {
        this.reset();
        this.inc({ result: 'hit' }, cache.hits);
        this.inc({ result: 'miss' }, cache.misses);
      },
    });
  }

  sourceAnswered(o: SourceOutcome): void {
    if (o.status === 'skipped') return;
    this.#sourceSeconds.observe({ source: o.id, status: o.status }, o.latencyMs / 1000);
  }

  pushDownMismatch(source: string, records: number): void {
    this.#pushDownMismatches.inc({ source }, records);
  }

  /** Call when a search starts; call the returned function when it ends. */
  searchStarted(): (partial: boolean | undefined) => void {
    this.#inFlight.inc();
    const end = this.#searchSeconds.startTimer();
    return (partial) => {
      this.#inFlight.dec();
      end({ partial: partial === undefined ? 'failed' : String(partial) });
    };
  }
}
