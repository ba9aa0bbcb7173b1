import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpConnector } from '../../src/connectors/http.ts';
import { NetworkPolicy } from '../../src/connectors/network.ts';
import { identifierParams } from '../../src/federation/plan.ts';
import { deadline } from '../../src/lib/abort.ts';
import { chanTaiMan, peopleSource } from '../support/sources.ts';

// A real TLS server that demands a client certificate, with a CA, server and client certificate made
// by openssl for this test only.
const dir = mkdtempSync(join(tmpdir(), 'cirms-mtls-'));
const f = (name: string) => join(dir, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
let server: Server;
let url: string;

beforeAll(async () => {
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=test-ca');
  writeFileSync(f('san.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  for (const who of ['server', 'client']) {
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${who}.key`, '-out', `${who}.csr`, '-subj', `/CN=${who}`);
    openssl('x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${who}.pem`, '-days', '1', ...(who === 'server' ? ['-extfile', 'san.cnf'] : []));
  }
  server = createServer(
    { key: readFileSync(f('server.key')), cert: readFileSync(f('server.pem')), ca: readFileSync(f('ca.pem')), requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items: [{ ...chanTaiMan('m-1'), name: `seen ${peer.subject.CN}` }] }));
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

async function search(c: HttpConnector) {
  const d = deadline(3_000);
  try {
    return await c.search({ type: 'person', by: 'hkid', params: identifierParams('hkid', 'A123456(3)', 5) }, { signal: d.signal, searchId: 't', log: console });
  } finally {
    d.clear();
  }
}

describe('http connector with mutual TLS', () => {
  it('presents its client certificate and trusts the configured CA', async () => {
    const c = new HttpConnector(peopleSource('m', url, { tls: { cert: { file: f('client.pem') }, key: { file: f('client.key') }, ca: { file: f('ca.pem') } } }), new NetworkPolicy());
    const records = await search(c);
    expect(records[0]!.names[0]!.value).toBe('seen client');
    await c.close();
  });

  it('refuses a source whose certificate no configured CA vouches for', async () => {
    const c = new HttpConnector(peopleSource('m', url, { tls: undefined }), new NetworkPolicy());
    await expect(search(c)).rejects.toThrow();
    await c.close();
  });
});
