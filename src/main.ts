// `npm start` / `make start`: the hub on its configuration (config/hub.yaml unless HUB_CONFIG says
// otherwise). With a `demo` section the hub first starts its demo estate and points its sources at it.
import { pino } from 'pino';
import { ConfigError, loadConfig } from './config.ts';
import { DefinitionInvalidError } from './connectors/registry.ts';
import { startEstate, type Estate } from './demo/estate.ts';
import { createHub } from './hub.ts';

const log = pino({ level: process.env.LOG_LEVEL ?? 'info', base: { service: 'cirms-hub' } });
const file = process.env.HUB_CONFIG ?? new URL('../config/hub.yaml', import.meta.url).pathname;

let estate: Estate | undefined;
try {
  const config = await loadConfig(file, {
    sourceVars: async (c) => {
      if (!c.demo) return {};
      estate = await startEstate(c.demo, log);
      return estate.vars;
    },
  });
  log.level = config.server.logLevel;
  const hub = await createHub(config, { log });
  const address = await hub.app.listen({ host: config.server.host, port: config.server.port });
  log.info({ address, sources: hub.registry.snapshot().map((e) => e.id), demo: Boolean(estate) }, 'cirms-hub ready');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    await hub.close();
    await estate?.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
} catch (err) {
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
