import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ProblemError } from './problem.ts';

/**
 * Guards the administration API with the token configured in `admin.token` until single sign-on
 * roles (connector-admin) replace it. Without a configured token the administration API is closed.
 * Returns who acted, for the change log.
 */
export function adminGuard(token: string | undefined): (req: FastifyRequest) => Promise<string> {
  const expected = token === undefined ? undefined : Buffer.from(token);
  return async (req) => {
    if (!expected) throw new ProblemError(403, 'admin-disabled', 'The administration API is not enabled', 'set admin.token in the hub configuration');
    const header = req.headers.authorization ?? '';
    const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
    // Compare in constant time so the token cannot be guessed byte by byte from response times.
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new ProblemError(401, 'unauthorized', 'A valid administration token is required');
    }
    return 'admin-token';
  };
}
