import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';

function files(entries: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cirms-config-'));
  for (const [name, text] of Object.entries(entries)) writeFileSync(join(dir, name), text);
  return dir;
}

const source = (extra = '') => `
- id: rocars
  kind: http
  baseUrl: \${ROCARS_URL}
  queries:
    vehicle:
      by: { vehicle_mark: { path: /v, query: { mark: '{{value}}' } } }
      mapping: { key: '{{id}}' }${extra}
`;

describe('configuration', () => {
  it('reads the hub settings and the sources file, filling ${VARS} from the environment', async () => {
    const dir = files({ 'hub.yaml': 'store: { url: "memory:" }\nsourcesFile: sources.yaml\n', 'sources.yaml': source() });
    const c = await loadConfig(join(dir, 'hub.yaml'), { env: { ROCARS_URL: 'http://127.0.0.1:9' } });
    expect(c.store.url).toBe('memory:');
    expect(c.sources).toHaveLength(1);
    expect((c.sources[0] as { baseUrl: string }).baseUrl).toBe('http://127.0.0.1:9');
    expect(c.server.port).toBe(8080);
  });

  it('stops with a message naming the file, the source and the field of a bad definition', async () => {
    const dir = files({ 'hub.yaml': 'sourcesFile: sources.yaml\n', 'sources.yaml': source('\n      colour: red') });
    await expect(loadConfig(join(dir, 'hub.yaml'), { env: { ROCARS_URL: 'http://127.0.0.1:9' } })).rejects.toThrow(
      `${join(dir, 'sources.yaml')}: source "rocars": field /queries/vehicle/colour is not a known field`,
    );
  });

  it('names an unknown setting and an unset variable', async () => {
    const dir = files({ 'hub.yaml': 'server: { prot: 1 }\n', 'b.yaml': 'sourcesFile: s.yaml\n', 's.yaml': source() });
    await expect(loadConfig(join(dir, 'hub.yaml'), { env: {} })).rejects.toThrow(/hub.yaml: \/server\/prot is not a known setting/);
    await expect(loadConfig(join(dir, 'b.yaml'), { env: {} })).rejects.toThrow(/\$\{ROCARS_URL\} is used but not set/);
  });

  it('refuses SQL naming an unknown parameter', async () => {
    const dir = files({
      'hub.yaml': `sources:
  - id: itd
    kind: postgres
    connection: { url: "postgres://x@127.0.0.1/db" }
    queries:
      person:
        by: { hkid: "SELECT * FROM p WHERE hkid = :hkid" }
        mapping: { key: "{{id}}" }
`,
    });
    await expect(loadConfig(join(dir, 'hub.yaml'), { env: {} })).rejects.toThrow(/source "itd": field \/queries\/person\/by\/hkid unknown parameter :hkid/);
  });

  it('runs several hub processes only on a PostgreSQL store and never in demo mode', async () => {
    const dir = files({
      'pg.yaml': 'server: { workers: 3 }\nstore: { url: "postgres://hub@127.0.0.1/cirms" }\n',
      'auto.yaml': 'server: { workers: auto }\nstore: { url: "postgresql://hub@127.0.0.1/cirms" }\n',
      'embedded.yaml': 'server: { workers: 2 }\n',
      'demo.yaml': 'server: { workers: 2 }\nstore: { url: "postgres://hub@127.0.0.1/cirms" }\ndemo: {}\n',
    });
    expect((await loadConfig(join(dir, 'pg.yaml'), { env: {} })).server.workers).toBe(3);
    expect((await loadConfig(join(dir, 'auto.yaml'), { env: {} })).server.workers).toBe(availableParallelism());
    expect((await loadConfig(join(dir, 'pg.yaml'), { env: { WORKERS: '1' } })).server.workers).toBe(1);
    await expect(loadConfig(join(dir, 'embedded.yaml'), { env: {} })).rejects.toThrow(/\/server\/workers 2 needs a PostgreSQL store .*pglite:\.\/data\/store belongs to one process/);
    await expect(loadConfig(join(dir, 'demo.yaml'), { env: {} })).rejects.toThrow(/\/server\/workers must be 1 in demo mode/);
    await expect(loadConfig(join(dir, 'pg.yaml'), { env: { WORKERS: 'many' } })).rejects.toThrow(/WORKERS: many is not a number of processes/);
  });
});

describe('shipped configuration files', () => {
  it('the example sources for a real deployment are valid definitions', async () => {
    const dir = files({ 'hub.yaml': `sourcesFile: ${join(process.cwd(), 'config/sources.example.yaml')}\n` });
    const c = await loadConfig(join(dir, 'hub.yaml'), { env: {} });
    expect(c.sources.map((s) => s.id)).toEqual(['itd', 'rocars', 'seizures']);
  });

  it('the demo configuration is valid once the demo estate publishes its addresses', async () => {
    const c = await loadConfig('config/hub.yaml', {
      env: {},
      sourceVars: async () => ({ DEMO_ITD_URL: 'postgres://a@127.0.0.1:1/x', DEMO_CIS_URL: 'postgres://a@127.0.0.1:2/x', DEMO_ROCARS_URL: 'http://127.0.0.1:3' }),
    });
    expect(c.sources.map((s) => s.id)).toEqual(['itd', 'cis', 'rocars']);
    expect(c.demo?.traders).toBeGreaterThan(0);
  });
});

describe('how the hub process is started', () => {
  it('npm start passes the node flags the benchmarks measure the hub with', async () => {
    const { HUB_NODE_FLAGS } = await import('../bench/hub-flags.ts');
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
    expect(pkg.scripts.start).toBe(`node ${HUB_NODE_FLAGS.join(' ')} src/main.ts`);
  });
});
