import type { FastifyInstance } from 'fastify';
import { randomHex } from '../lib/random-hex.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** W3C trace id: the caller's (traceparent header) when it sent a valid one, else a new one. */
    traceId: string;
  }
}

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;
const ZERO_TRACE = '0'.repeat(32);

export function traceIdOf(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  const m = value ? TRACEPARENT.exec(value.trim().toLowerCase()) : null;
  return m && m[1] !== ZERO_TRACE ? m[1]! : randomHex(16);
}

/** Every request's log lines carry the trace id, so one search can be followed across systems. */
export function installTracing(app: FastifyInstance): void {
  app.decorateRequest('traceId', '');
  app.addHook('onRequest', (req, _reply, done) => {
    req.traceId = traceIdOf(req.headers.traceparent);
    req.log = req.log.child({ traceId: req.traceId });
    done();
  });
}
