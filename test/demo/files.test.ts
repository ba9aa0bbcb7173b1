import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../../src/demo/generate.ts';
import { readDemo, readManifest, writeDemo } from '../../src/demo/files.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('demo files', () => {
  it('round-trips an estate through NDJSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cirms-demo-'));
    dirs.push(dir);
    const data = generateDemo({ traders: 200, seed: 3 });
    await writeDemo(dir, data, { seed: 3, traders: 200 });
    expect(await readDemo(dir)).toEqual(data);
    const manifest = await readManifest(dir);
    expect(manifest).toMatchObject({ format: 1, seed: 3, traders: 200 });
    expect(manifest.counts['rocars.consignments']).toBe(data.rocars.consignments.length);
  });
});
