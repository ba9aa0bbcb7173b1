import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { AuditEvent } from '../auth/audit.ts';
import { bearerChallenge, type Authenticator } from '../auth/authenticate.ts';
import { may, type Action } from '../auth/policy.ts';
import type { Principal } from '../auth/principal.ts';
import { TokenError } from '../auth/tokens.ts';
import { ProblemError } from './problem.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is asking, set by the route's guard; routes without a guard never read it. */
    principal: Principal | undefined;
  }
}

export type Guard = (action: Action) => onRequestAsyncHookHandler;

/**
 * The guard every /v1 route declares, run as the request arrives — before its body is read or
 * validated, so an anonymous caller learns nothing and costs little: a verified access token (401
 * otherwise, 503 while the identity provider's keys cannot be fetched — fail closed), then the role
 * check for the route's action (403, audited as a denial).
 */
export function createGuard(authenticator: Authenticator, audit: (e: AuditEvent) => Promise<unknown>): Guard {
  return (action) =>
    async function guard(req: FastifyRequest) {
      let principal: Principal;
      try {
        principal = await authenticator.authenticate(req.headers.authorization, { ip: req.ip });
      } catch (err) {
        if (!(err instanceof TokenError)) throw err;
        const problem =
          err.status === 503
            ? new ProblemError(503, 'idp-unavailable', 'Sign-in cannot be checked now', 'the identity provider’s keys cannot be fetched')
            : new ProblemError(401, 'unauthorized', 'A valid access token is required', err.code === 'missing' ? undefined : err.code);
        problem.headers['www-authenticate'] = bearerChallenge(err);
        throw problem;
      }
      if (!may(principal, action)) {
        await audit({ kind: 'denial', actor: principal.userId, action, resource: `${req.method} ${req.url.split('?')[0]}`, reason: 'role' });
        throw new ProblemError(403, 'forbidden', 'Not allowed', `the ${action} function needs a role you do not hold`);
      }
      req.principal = principal;
    };
}

/** The principal a guarded route runs for; a route that calls this without a guard is a bug. */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new Error(`route ${req.url} has no guard`);
  return req.principal;
}
