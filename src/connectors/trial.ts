import { deadline } from '../lib/abort.ts';
import type { Log } from '../lib/log.ts';
import type { SubjectType } from '../model/record.ts';
import type { Connector } from './connector.ts';
import { KINDS, type ConnectorEnv, type SourceDefinition } from './kinds.ts';

export interface TrialStep {
  step: 'build' | 'connect' | 'dry-run';
  ok: boolean;
  ms: number;
  detail: string;
}

export interface TrialResult {
  ok: boolean;
  steps: TrialStep[];
}

/** A value no real subject carries: the dry run proves the query runs and maps, not that it finds. */
const PROBE = 'CIRMS-DRY-RUN';

/**
 * Tries a definition without registering it: builds its connector, checks the connection, and runs
 * one of its declared queries end to end (bound parameters, mapping). A definition that fails any step
 * is never activated.
 */
export async function tryDefinition(def: SourceDefinition, env: ConnectorEnv, log: Log, timeoutMs = 5_000): Promise<TrialResult> {
  const steps: TrialStep[] = [];
  let connector: Connector | undefined;
  const timed = async (step: TrialStep['step'], fn: () => Promise<string>): Promise<boolean> => {
    const started = performance.now();
    try {
      const detail = await fn();
      steps.push({ step, ok: true, ms: Math.round(performance.now() - started), detail });
      return true;
    } catch (err) {
      steps.push({ step, ok: false, ms: Math.round(performance.now() - started), detail: describe(err) });
      return false;
    }
  };
  try {
    const built = await timed('build', async () => {
      connector = KINDS[def.kind]!.create(def, env);
      return `${def.kind} connector built`;
    });
    if (!built || !connector) return { ok: false, steps };
    const c = connector;
    const connected = await timed('connect', async () => {
      const d = deadline(timeoutMs);
      try {
        await c.health(d.signal);
      } finally {
        d.clear();
      }
      return 'source answered';
    });
    if (!connected) return { ok: false, steps };
    const cap = c.capabilities[0];
    if (cap) {
      await timed('dry-run', async () => {
        const by = cap.by[0]!;
        const d = deadline(timeoutMs);
        try {
          const records = await c.search(
            { type: cap.type as SubjectType, by, params: { raw: PROBE, value: PROBE, compact: [PROBE], tokens: [PROBE], prefixes: [`${PROBE}%`], limit: 1 } },
            { signal: d.signal, searchId: 'dry-run', log },
          );
          return `${cap.type} by ${by}: ran, ${records.length} record(s)`;
        } finally {
          d.clear();
        }
      });
    }
    return { ok: steps.every((s) => s.ok), steps };
  } finally {
    await connector?.close().catch(() => {});
  }
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? `${err.message} (${code})` : err.message;
}
