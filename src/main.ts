// `npm start` / `make start`: the hub on its configuration (config/hub.yaml unless HUB_CONFIG says
// otherwise). With a `demo` section the hub first starts its demo estate and points its sources at it.
// With `server.workers` above 1 this process supervises that many hub processes (src/cluster.ts), each
// of which runs this file again as a worker.
import cluster from 'node:cluster';
import { pino } from 'pino';
import { ConfigError, loadConfig } from './config.ts';
import { DefinitionInvalidError } from './connectors/registry.ts';
import { isLoopback } from './auth/config.ts';
import { seedDemoCases } from './auth/dev-idp.ts';
import { startEstate, type Estate } from './demo/estate.ts';
import { readDemo } from './demo/files.ts';
import { startDemoIdentity } from './demo/identity.ts';
import { loadDemoRisk } from './risk/load.ts';
import { createRun } from './risk/runs.ts';
import { createHub } from './hub.ts';
import { superviseWorkers } from './cluster.ts';

// The pid tells the processes of one hub apart (server.workers).
const log = pino({ level: process.env.LOG_LEVEL ?? 'info', base: { service: 'cirms-hub', pid: process.pid } });
const file = process.env.HUB_CONFIG ?? new URL('../config/hub.yaml', import.meta.url).pathname;

let estate: Estate | undefined;
let identity: Awaited<ReturnType<typeof startDemoIdentity>> | undefined;
try {
  const config = await loadConfig(file, {
    sourceVars: async (c) => {
      if (!c.demo) return {};
      estate = await startEstate(c.demo, log);
      return estate.vars;
    },
  });
  log.level = config.server.logLevel;
  if (config.server.workers > 1 && cluster.isPrimary) {
    await superviseWorkers(config.server.workers, log);
    process.exit(0);
  }
  if (!config.auth && config.demo) {
    // The development identity provider hands out tokens for demo users to anyone who asks: it must
    // never be reachable from another machine.
    if (!isLoopback(config.server.host)) {
      throw new ConfigError(`${config.file}: demo mode runs a development identity provider and only listens on a loopback address, not ${config.server.host}`);
    }
    identity = await startDemoIdentity(config.demo.idpPort);
    config.auth = identity.auth;
    log.info({ issuer: identity.idp.issuer, tokenEndpoint: identity.idp.tokenEndpoint }, 'development identity provider ready');
  }
  const hub = await createHub(config, { log });
  if (identity) await seedDemoCases(hub.db);
  if (config.demo && (await loadDemoRisk(hub.db, await readDemo(config.demo.dataDir)))) {
    // First start on this estate: rate every trader once, in the background.
    const run = await createRun(hub.db, { requestedBy: 'demo' });
    await hub.riskRunner.submit(run.runId);
    log.info({ runId: run.runId }, 'demo estate: risk data loaded, rating every trader');
  }
  const address = await hub.app.listen({ host: config.server.host, port: config.server.port });
  log.info({ address, sources: hub.registry.snapshot().map((e) => e.id), demo: Boolean(estate) }, 'cirms-hub ready');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    await hub.close();
    await identity?.idp.close();
    await estate?.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
} catch (err) {
  await identity?.idp.close().catch(() => {});
  await estate?.close().catch(() => {});
  if (err instanceof ConfigError || err instanceof DefinitionInvalidError) {
    // A configuration mistake is the operator's to fix: say what and where, without a stack trace.
    log.fatal(err.message);
    console.error(`cirms-hub: ${err.message}`);
  } else {
    log.fatal({ err }, 'cirms-hub failed to start');
  }
  process.exit(1);
}
