import type { FastifyError, FastifyInstance } from 'fastify';

/** Stable problem types (RFC 9457); clients switch on these, so they never change meaning. */
export const PROBLEM_BASE = 'https://cirms-hub.dev/problems/';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: { path: string; message: string }[];
  /** RFC 9457 extension members, e.g. the failed steps of a connector test. */
  [extension: string]: unknown;
}

export class ProblemError extends Error {
  override readonly name = 'ProblemError';
  readonly problem: Problem;
  /** Response headers the problem needs (WWW-Authenticate on a 401). */
  readonly headers: Record<string, string> = {};
  constructor(status: number, type: string, title: string, detail?: string, errors?: Problem['errors'], extensions?: Record<string, unknown>) {
    super(detail ?? title);
    this.problem = { ...extensions, type: PROBLEM_BASE + type, title, status, ...(detail ? { detail } : {}), ...(errors ? { errors } : {}) };
  }
}

/**
 * Every error leaves as problem+json: validation failures name the field, oversized bodies are 413,
 * and anything unexpected is a bare 500 — the stack stays in the log, keyed by the request id.
 */
export function installProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const problem = toProblem(err);
    problem.instance = req.url;
    if (err instanceof ProblemError) void reply.headers(err.headers);
    if (problem.status >= 500) req.log.error({ err }, 'request failed');
    void reply.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  });
  app.setNotFoundHandler((req, reply) => {
    const problem: Problem = { type: PROBLEM_BASE + 'not-found', title: 'Not found', status: 404, detail: `no route ${req.method} ${req.url.split('?')[0]}`, instance: req.url };
    void reply.status(404).type('application/problem+json').send(JSON.stringify(problem));
  });
}

function toProblem(err: FastifyError): Problem {
  if (err instanceof ProblemError) return { ...err.problem };
  if (err.validation) {
    const errors = err.validation.map((v) => {
      const params = v.params as Record<string, unknown>;
      const extra = (params.additionalProperty ?? params.missingProperty) as string | undefined;
      const base = `/${err.validationContext ?? 'body'}${v.instancePath}`;
      const path = extra ? `${base}/${extra}` : base;
      const message = v.keyword === 'additionalProperties' ? 'is not a known field' : v.keyword === 'required' ? 'is required' : (v.message ?? 'is invalid');
      return { path, message };
    });
    return {
      type: PROBLEM_BASE + 'validation',
      title: 'The request is not valid',
      status: 400,
      detail: errors.map((e) => `${e.path} ${e.message}`).join('; '),
      errors,
    };
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { type: PROBLEM_BASE + 'body-too-large', title: 'The request body is too large', status: 413, detail: err.message };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { type: PROBLEM_BASE + 'unsupported-media-type', title: 'Send application/json', status: 415, detail: err.message };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { type: PROBLEM_BASE + 'malformed-json', title: 'The body is not valid JSON', status: 400 };
  }
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return { type: PROBLEM_BASE + 'bad-request', title: 'Bad request', status: err.statusCode, detail: err.message };
  }
  return { type: PROBLEM_BASE + 'internal', title: 'Internal error', status: 500 };
}
