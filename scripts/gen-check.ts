// Fails when src/generated/api.ts is not what `npm run gen` makes of openapi/ — the contract and the
// types must never drift apart.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'cirms-gen-'));
try {
  const out = join(dir, 'api.ts');
  execFileSync(process.execPath, ['node_modules/openapi-typescript/bin/cli.js', 'openapi/cirms-hub.yaml', '-o', out], { stdio: 'pipe' });
  if (readFileSync(out, 'utf8') !== readFileSync('src/generated/api.ts', 'utf8')) {
    console.error('src/generated/api.ts is stale: run `npm run gen` and commit the result');
    process.exit(1);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
