import type { FastifyInstance } from 'fastify';
import type { AuditEvent } from '../../auth/audit.ts';
import type { SourceDefinition } from '../../connectors/kinds.ts';
import { VersionConflictError, type DefinitionVersion, type Registry } from '../../connectors/registry.ts';
import { tryDefinition, type TrialResult } from '../../connectors/trial.ts';
import { validateDefinition } from '../../connectors/validate.ts';
import type { Log } from '../../lib/log.ts';
import { principalOf, type Guard } from '../auth.ts';
import type { Contract } from '../contract.ts';
import { ProblemError } from '../problem.ts';

type IdParams = { Params: { id: string } };

/**
 * Administrators register, change, disable and remove sources while the hub runs. Every change is a
 * new version in the store, tested (connection and a dry-run query) before it goes live.
 */
export function adminConnectorRoutes(
  app: FastifyInstance,
  contract: Contract,
  registry: Registry,
  guard: Guard,
  audit: (e: AuditEvent) => Promise<unknown>,
  log: Log,
): void {
  const onRequest = guard('manage-sources');
  const changed = (actor: string, action: string, target: string, detail: Record<string, unknown>) => audit({ kind: 'admin', actor, action, target, detail });

  const current = async (id: string): Promise<DefinitionVersion> => {
    const latest = (await registry.history(id))[0];
    if (!latest || latest.deleted) throw new ProblemError(404, 'not-found', 'No such connector', `no connector ${JSON.stringify(id)}`);
    return latest;
  };

  const checked = (body: unknown): SourceDefinition => {
    const errors = validateDefinition(body);
    if (errors.length > 0) {
      const withBody = errors.map((e) => ({ path: `/body${e.path}`, message: e.message }));
      throw new ProblemError(400, 'invalid-definition', 'The connector definition is not valid', withBody.map((e) => `${e.path} ${e.message}`).join('; '), withBody);
    }
    return body as SourceDefinition;
  };

  const trialOrFail = async (def: SourceDefinition): Promise<TrialResult> => {
    const trial = await tryDefinition(def, registry.env, log);
    if (!trial.ok) {
      const failed = trial.steps.find((s) => !s.ok);
      throw new ProblemError(422, 'connector-test-failed', 'The connector failed its test and was not activated', failed ? `${failed.step}: ${failed.detail}` : undefined, undefined, { trial });
    }
    return trial;
  };

  const write = async (def: SourceDefinition, by: string, expectedVersion: number, deleted = false) => {
    try {
      return await registry.write(def, { by, expectedVersion, deleted });
    } catch (err) {
      if (err instanceof VersionConflictError) throw new ProblemError(409, 'conflict', 'The connector changed meanwhile', err.message);
      throw err;
    }
  };

  app.get('/v1/admin/connectors', { schema: contract.route('listConnectors'), onRequest }, async () => {
    return { connectors: (await registry.latest()).filter((v) => !v.deleted).map(view) };
  });

  app.post<{ Body: unknown }>('/v1/admin/connectors', { schema: contract.route('createConnector'), onRequest }, async (req, reply) => {
    const by = principalOf(req).userId;
    const def = checked(req.body);
    const latest = (await registry.history(def.id))[0];
    if (latest && !latest.deleted) throw new ProblemError(409, 'connector-exists', 'A connector with this id exists', `use PUT /v1/admin/connectors/${def.id} to change it`);
    const trial = await trialOrFail(def);
    const version = await write(def, by, latest?.version ?? 0);
    await changed(by, 'connector-registered', def.id, { version });
    req.log.info({ connector: def.id, version, by }, 'connector registered');
    void reply.status(201);
    return { id: def.id, version, live: def.enabled !== false, trial };
  });

  app.get<IdParams>('/v1/admin/connectors/:id', { schema: contract.route('getConnector'), onRequest }, async (req) => {
    const versions = await registry.history(req.params.id);
    if (!versions[0] || versions[0].deleted) throw new ProblemError(404, 'not-found', 'No such connector', `no connector ${JSON.stringify(req.params.id)}`);
    return {
      connector: view(versions[0]),
      versions: versions.map(({ version, enabled, deleted, origin, changedBy, changedAt }) => ({ version, enabled, deleted, origin, changedBy, changedAt })),
    };
  });

  app.put<IdParams & { Body: unknown }>('/v1/admin/connectors/:id', { schema: contract.route('replaceConnector'), onRequest }, async (req) => {
    const by = principalOf(req).userId;
    const def = checked(req.body);
    if (def.id !== req.params.id) {
      throw new ProblemError(400, 'invalid-definition', 'The connector definition is not valid', 'id in the body differs from the path', [{ path: '/body/id', message: `must be ${req.params.id}` }]);
    }
    const latest = await current(def.id);
    const trial = def.enabled === false ? undefined : await trialOrFail(def);
    const version = await write(def, by, latest.version);
    await changed(by, 'connector-changed', def.id, { version });
    req.log.info({ connector: def.id, version, by }, 'connector changed');
    return { id: def.id, version, live: def.enabled !== false, ...(trial ? { trial } : {}) };
  });

  app.delete<IdParams>('/v1/admin/connectors/:id', { schema: contract.route('deleteConnector'), onRequest }, async (req) => {
    const by = principalOf(req).userId;
    const latest = await current(req.params.id);
    const version = await write(latest.definition, by, latest.version, true);
    await changed(by, 'connector-deleted', latest.id, { version });
    req.log.info({ connector: latest.id, version, by }, 'connector deleted');
    return { id: latest.id, version, live: false };
  });

  for (const enabled of [true, false]) {
    const operationId = enabled ? 'enableConnector' : 'disableConnector';
    app.post<IdParams>(`/v1/admin/connectors/:id/${enabled ? 'enable' : 'disable'}`, { schema: contract.route(operationId), onRequest }, async (req) => {
      const by = principalOf(req).userId;
      const latest = await current(req.params.id);
      const def = { ...latest.definition, enabled };
      const trial = enabled ? await trialOrFail(def) : undefined;
      const version = await write(def, by, latest.version);
      await changed(by, enabled ? 'connector-enabled' : 'connector-disabled', def.id, { version });
      req.log.info({ connector: def.id, version, by, enabled }, enabled ? 'connector enabled' : 'connector disabled');
      return { id: def.id, version, live: enabled, ...(trial ? { trial } : {}) };
    });
  }

  app.post<IdParams>('/v1/admin/connectors/:id/test', { schema: contract.route('testConnector'), onRequest }, async (req) => {
    const latest = await current(req.params.id);
    return tryDefinition({ ...latest.definition, enabled: true }, registry.env, log);
  });
}

function view(v: DefinitionVersion) {
  return { id: v.id, version: v.version, enabled: v.enabled, origin: v.origin, changedBy: v.changedBy, changedAt: v.changedAt, definition: v.definition };
}
