import {
  bulkhead,
  BulkheadRejectedError,
  BrokenCircuitError,
  circuitBreaker,
  CircuitState,
  ExponentialBackoff,
  handleWhen,
  retry,
  SamplingBreaker,
  wrap,
  type IBackoff,
  type IBackoffFactory,
  type IPolicy,
  type IRetryBackoffContext,
} from 'cockatiel';

// Each source gets its own policy: a failing source trips its own breaker and fills its own bulkhead;
// no other source notices. Order (outside in): retry → circuit breaker → bulkhead → the request. A
// retry sees the breaker, so nothing is retried into an open circuit; the breaker counts each attempt.

export interface ResilienceSettings {
  /** Requests in flight to the source at once, across all searches. */
  concurrency: number;
  /** Requests waiting for a slot; beyond it a request is refused at once (`unavailable`). */
  queue: number;
  breaker: {
    /** Failure ratio over the window that opens the circuit. */
    threshold: number;
    windowMs: number;
    /** Requests per second (over the window) below which the breaker never opens: too few to judge. */
    minimumRps: number;
    /** How long the circuit stays open before one probe is let through. */
    halfOpenAfterMs: number;
  };
  retry: {
    /** Attempts after the first; 0 for a source whose queries are not safe to repeat. */
    maxRetries: number;
    initialDelayMs: number;
    maxDelayMs: number;
  };
}

export const DEFAULT_RESILIENCE: ResilienceSettings = {
  concurrency: 32,
  queue: 256,
  breaker: { threshold: 0.5, windowMs: 10_000, minimumRps: 1, halfOpenAfterMs: 5_000 },
  retry: { maxRetries: 1, initialDelayMs: 50, maxDelayMs: 1_000 },
};

export const resilienceSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    queue: { type: 'integer', minimum: 0, maximum: 100_000 },
    breaker: {
      type: 'object',
      additionalProperties: false,
      properties: {
        threshold: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
        windowMs: { type: 'integer', minimum: 100 },
        minimumRps: { type: 'number', exclusiveMinimum: 0 },
        halfOpenAfterMs: { type: 'integer', minimum: 10 },
      },
    },
    retry: {
      type: 'object',
      additionalProperties: false,
      properties: {
        maxRetries: { type: 'integer', minimum: 0, maximum: 5 },
        initialDelayMs: { type: 'integer', minimum: 1 },
        maxDelayMs: { type: 'integer', minimum: 1 },
      },
    },
  },
} as const;

export type CircuitName = 'closed' | 'open' | 'half-open' | 'isolated';

const CIRCUIT_NAMES: Record<CircuitState, CircuitName> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

/** An error a source signals as passing (overload, restart): worth one more try after a pause. */
export interface TransientError {
  transient: true;
  /** The source's own Retry-After, when it gave one. */
  retryAfterMs?: number;
}

/** Network and driver codes of a passing failure: a dropped connection, a server restarting. */
const TRANSIENT_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', '08006', '08003', '57P01', '40001', 'PROTOCOL_CONNECTION_LOST']);

export function isTransient(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  if ((err as { transient?: unknown }).transient === true) return true;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && TRANSIENT_CODES.has(code);
}

function retryAfterOf(err: unknown): number | undefined {
  const v = typeof err === 'object' && err !== null ? (err as Partial<TransientError>).retryAfterMs : undefined;
  return typeof v === 'number' && v >= 0 ? v : undefined;
}

export class SourcePolicy {
  readonly #policy: IPolicy;
  readonly #breaker: ReturnType<typeof circuitBreaker>;

  constructor(settings: ResilienceSettings) {
    const { breaker: b, retry: r } = settings;
    this.#breaker = circuitBreaker(
      // Refusals by this hub's own bulkhead say nothing about the source's health.
      handleWhen((e) => !(e instanceof BulkheadRejectedError)),
      {
        halfOpenAfter: b.halfOpenAfterMs,
        breaker: new SamplingBreaker({ threshold: b.threshold, duration: b.windowMs, minimumRps: b.minimumRps }),
      },
    );
    const inner = wrap(this.#breaker, bulkhead(settings.concurrency, settings.queue));
    this.#policy =
      r.maxRetries > 0
        ? wrap(
            retry(handleWhen(isTransient), {
              maxAttempts: r.maxRetries,
              backoff: new RetryAfterBackoff(new ExponentialBackoff({ initialDelay: r.initialDelayMs, maxDelay: r.maxDelayMs }), r.maxDelayMs),
            }),
            inner,
          )
        : inner;
  }

  get circuit(): CircuitName {
    return CIRCUIT_NAMES[this.#breaker.state];
  }

  /** Runs `fn` under the policy; waiting (queue, backoff) ends when `signal` aborts. */
  execute<T>(fn: (signal: AbortSignal) => Promise<T>, signal: AbortSignal): Promise<T> {
    return this.#policy.execute(({ signal: s }) => fn(s), signal) as Promise<T>;
  }
}

/** Why a policy refused to send a request at all. */
export function refusal(err: unknown): string | undefined {
  if (err instanceof BrokenCircuitError) return 'circuit open: the source failed repeatedly and is rested';
  if (err instanceof BulkheadRejectedError) return 'too many requests waiting for this source';
  return undefined;
}

/**
 * Jittered exponential backoff that yields to the source's own Retry-After when it sent one. The
 * search's deadline still bounds the wait: the policy's sleep ends when the signal aborts.
 */
class RetryAfterBackoff implements IBackoffFactory<IRetryBackoffContext<unknown>> {
  readonly #exponential: IBackoffFactory<IRetryBackoffContext<unknown>>;
  readonly #max: number;

  constructor(exponential: IBackoffFactory<IRetryBackoffContext<unknown>>, maxDelayMs: number) {
    this.#exponential = exponential;
    this.#max = maxDelayMs;
  }

  next(context: IRetryBackoffContext<unknown>): IBackoff<IRetryBackoffContext<unknown>> {
    const exponential = this.#exponential.next(context);
    const retryAfter = 'error' in context.result ? retryAfterOf(context.result.error) : undefined;
    const following = new RetryAfterBackoff(exponential, this.#max);
    return {
      duration: retryAfter === undefined ? exponential.duration : Math.min(retryAfter, this.#max),
      next: (c) => following.next(c),
    };
  }
}
