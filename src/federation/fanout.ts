import type { Log } from '../lib/log.ts';
import type { SourceEntry } from '../connectors/registry.ts';
import { deadline, raceAbort } from '../lib/abort.ts';
import type { BoundQuery } from '../model/query.ts';
import type { SourceRecord } from '../model/record.ts';
import { AnswerCache } from './cache.ts';
import { refusal } from './resilience.ts';
import type { SourcePlan } from './plan.ts';

export type SourceStatus = 'ok' | 'timeout' | 'error' | 'unavailable' | 'skipped';

export interface SourceOutcome {
  id: string;
  status: SourceStatus;
  latencyMs: number;
  records: SourceRecord[];
  cached: boolean;
  reason?: string;
}

export interface FanOutOptions {
  /** The whole search's deadline. */
  signal: AbortSignal;
  searchId: string;
  log: Log;
  cache: AnswerCache;
  /** W3C trace id of the request, passed on to sources that take it. */
  traceId?: string;
  /** Who asked, passed on to sources configured to receive it. */
  userId?: string;
  /** Told each source's outcome as soon as it is known (metrics). */
  observe?: (outcome: SourceOutcome) => void;
}

/**
 * Asks every planned source at once. Each source gets its own deadline (its configured timeout, capped
 * by the search's), and whatever happens to one source — slow, failing, unreachable — is that source's
 * outcome only: this function never rejects.
 */
export function fanOut(plans: readonly SourcePlan[], opts: FanOutOptions): Promise<SourceOutcome[]> {
  return Promise.all(
    plans.map(async (p) => {
      const outcome =
        'skipped' in p
          ? { id: p.entry.id, status: 'skipped' as const, latencyMs: 0, records: [], cached: false, reason: p.skipped }
          : await askSource(p.entry, p.queries, opts);
      opts.observe?.(outcome);
      return outcome;
    }),
  );
}

async function askSource(entry: SourceEntry, queries: BoundQuery[], opts: FanOutOptions): Promise<SourceOutcome> {
  const started = performance.now();
  const connector = entry.connector;
  if (!connector) {
    return { id: entry.id, status: 'unavailable', latencyMs: 0, records: [], cached: false, reason: entry.brokenReason ?? 'not built' };
  }
  const d = deadline(entry.timeoutMs, opts.signal);
  const ctx = {
    signal: d.signal,
    searchId: opts.searchId,
    log: opts.log,
    ...(opts.traceId ? { traceId: opts.traceId } : {}),
    ...(opts.userId ? { userId: opts.userId } : {}),
  };
  entry.acquire();
  let cachedAll = true;
  try {
    const answers = await Promise.all(
      queries.map(async (q) => {
        const key = AnswerCache.key(entry, q, opts.userId);
        const hit = opts.cache.get(key);
        if (hit) return hit;
        cachedAll = false;
        const records = await raceAbort(
          entry.policy.execute((signal) => {
            // The deadline may pass while the request waits for a slot: then it never starts.
            signal.throwIfAborted();
            return connector.search(q, signal === d.signal ? ctx : { ...ctx, signal });
          }, d.signal),
          d.signal,
        );
        opts.cache.set(key, records);
        return records;
      }),
    );
    return {
      id: entry.id,
      status: 'ok',
      latencyMs: Math.round(performance.now() - started),
      records: dedupe(answers),
      cached: cachedAll,
    };
  } catch (err) {
    const { status, reason } = classify(err, d.signal);
    const latencyMs = Math.round(performance.now() - started);
    opts.log.warn({ source: entry.id, status, err: describeError(err), latencyMs }, 'source did not answer in full');
    return { id: entry.id, status, latencyMs, records: [], cached: false, reason };
  } finally {
    d.clear();
    entry.release();
  }
}

/** The same row can answer two of a source's queries (by name and by HKID): keep it once. */
function dedupe(answers: readonly (readonly SourceRecord[])[]): SourceRecord[] {
  if (answers.length === 1) return [...answers[0]!];
  const seen = new Set<string>();
  const out: SourceRecord[] = [];
  for (const list of answers) {
    for (const r of list) {
      if (seen.has(r.key)) continue;
      seen.add(r.key);
      out.push(r);
    }
  }
  return out;
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
]);

/** Sorts a failure into what the caller needs to know, without leaking the source's internals. */
export function classify(err: unknown, signal: AbortSignal): { status: SourceStatus; reason: string } {
  if (signal.aborted) return { status: 'timeout', reason: 'no answer before the deadline' };
  const refused = refusal(err);
  if (refused) return { status: 'unavailable', reason: refused };
  const code = errorCode(err);
  if (code && UNREACHABLE_CODES.has(code)) return { status: 'unavailable', reason: `cannot reach the source (${code})` };
  if (err instanceof Error && /timeout exceeded when trying to connect|Connection terminated/i.test(err.message)) {
    return { status: 'unavailable', reason: 'cannot reach the source' };
  }
  if (err instanceof Error && err.name === 'SourceResponseError') return { status: 'error', reason: err.message };
  // A PostgreSQL error has a five-character SQLSTATE; the message may name tables, so only the code goes out.
  if (code && /^[0-9A-Z]{5}$/.test(code)) return { status: 'error', reason: `query failed (SQLSTATE ${code})` };
  return { status: 'error', reason: 'the source failed to answer' };
}

function errorCode(err: unknown): string | undefined {
  let cur: unknown = err;
  for (let i = 0; i < 3 && cur && typeof cur === 'object'; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    // Aggregate connection errors (IPv4 and IPv6 both refused) carry the codes on their parts.
    const errors = (cur as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) cur = errors[0];
    else cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

function describeError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
