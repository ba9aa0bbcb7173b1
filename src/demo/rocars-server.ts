// A stand-in for ROCARS, the Road Cargo System: a small JSON-over-HTTP service answering consignment
// look-ups by driver, vehicle or trading party, matching the way such a system does (forgiving about
// case, spacing and punctuation, not about spelling). Every index is built once at start.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Consignment, RocarsParty } from './generate.ts';

export interface RocarsOptions {
  consignments: readonly Consignment[];
  port?: number;
  host?: string;
}

export interface RocarsServer {
  url: string;
  close(): Promise<void>;
}

const QUERY_KINDS = ['driverHkid', 'driverName', 'vehicleMark', 'partyBr', 'partyName'] as const;
type QueryKind = (typeof QUERY_KINDS)[number];

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

const alnum = (s: string): string => s.toUpperCase().replace(/[^\p{L}\p{N}]/gu, '');
const brKey = (s: string): string | null => {
  const digits = s.replace(/[^0-9]/g, '');
  return digits.length >= 8 ? digits.slice(0, 8) : null;
};

/** A name's compact forms in each order a clerk writes it: as given, surname moved first, surname moved last. */
function nameKeys(name: string): string[] {
  const tokens = name.split(/[\s,]+/).filter((t) => t.length > 0);
  if (tokens.length < 2) return [alnum(name)];
  const lastFirst = [tokens[tokens.length - 1] as string, ...tokens.slice(0, -1)];
  const firstLast = [...tokens.slice(1), tokens[0] as string];
  return [...new Set([tokens, lastFirst, firstLast].map((t) => alnum(t.join(''))))];
}

// Party hits are stored as position * 2 + role so one number carries both.
const SHIPPER = 0;
const CONSIGNEE = 1;

class ConsignmentIndex {
  /** Newest first; every index holds positions in this array, so smaller position = more recent. */
  readonly byDate: Consignment[];
  private readonly hkid = new Map<string, number[]>();
  private readonly name = new Map<string, number[]>();
  private readonly mark = new Map<string, number[]>();
  private readonly br = new Map<string, number[]>();
  private readonly party = new Map<string, number[]>();
  /** Distinct compact party names, sorted, for prefix search. */
  private readonly partyNames: string[];

  constructor(consignments: readonly Consignment[]) {
    this.byDate = [...consignments].sort((a, b) =>
      a.date !== b.date ? (a.date < b.date ? 1 : -1) : a.consignmentNo < b.consignmentNo ? 1 : a.consignmentNo > b.consignmentNo ? -1 : 0,
    );
    // Manifests reuse driver and party objects and repeat marks, so keys are computed once per value.
    const driverKeys = new Map<object, { hkid: string; names: string[] }>();
    const partyKeys = new Map<object, { br: string | null; name: string }>();
    const markKeys = new Map<string, string>();
    const addParty = (party: RocarsParty, hit: number): void => {
      let keys = partyKeys.get(party);
      if (keys === undefined) {
        keys = { br: party.br === null ? null : brKey(party.br), name: alnum(party.name) };
        partyKeys.set(party, keys);
      }
      if (keys.br !== null) add(this.br, keys.br, hit);
      add(this.party, keys.name, hit);
    };
    for (let pos = 0; pos < this.byDate.length; pos++) {
      const c = this.byDate[pos] as Consignment;
      let driver = driverKeys.get(c.driver);
      if (driver === undefined) {
        driver = { hkid: c.driver.hkid === null ? '' : alnum(c.driver.hkid), names: nameKeys(c.driver.name) };
        driverKeys.set(c.driver, driver);
      }
      if (driver.hkid !== '') add(this.hkid, driver.hkid, pos);
      for (const key of driver.names) add(this.name, key, pos);
      let mark = markKeys.get(c.vehicleMark);
      if (mark === undefined) {
        mark = alnum(c.vehicleMark);
        markKeys.set(c.vehicleMark, mark);
      }
      add(this.mark, mark, pos);
      addParty(c.shipper, pos * 2 + SHIPPER);
      addParty(c.consignee, pos * 2 + CONSIGNEE);
    }
    this.partyNames = [...this.party.keys()].sort();
  }

  find(kind: QueryKind, value: string, limit: number): { error: string } | { items: object[] } {
    switch (kind) {
      case 'driverHkid': {
        const key = alnum(value);
        return key === '' ? { error: 'driverHkid has no letters or digits' } : this.plain(this.hkid.get(key), limit);
      }
      case 'driverName': {
        const key = alnum(value);
        return key === '' ? { error: 'driverName has no letters' } : this.plain(this.name.get(key), limit);
      }
      case 'vehicleMark': {
        const key = alnum(value);
        return key === '' ? { error: 'vehicleMark is empty' } : this.plain(this.mark.get(key), limit);
      }
      case 'partyBr': {
        const key = brKey(value);
        return key === null ? { error: 'partyBr needs at least 8 digits' } : this.parties(this.br.get(key) ?? [], limit);
      }
      case 'partyName': {
        const prefix = alnum(value);
        return prefix.length < 2 ? { error: 'partyName needs at least 2 letters or digits' } : this.parties(this.partyPrefix(prefix), limit);
      }
    }
  }

  private plain(positions: number[] | undefined, limit: number): { items: object[] } {
    return { items: (positions ?? []).slice(0, limit).map((pos) => this.byDate[pos] as Consignment) };
  }

  private parties(hits: ArrayLike<number>, limit: number): { items: object[] } {
    const items: object[] = [];
    let previous = -1;
    for (let i = 0; i < hits.length && items.length < limit; i++) {
      const hit = hits[i] as number;
      const pos = hit >> 1;
      // A consignment whose shipper and consignee both match is listed once, as the shipper's.
      if (pos === previous) continue;
      previous = pos;
      const c = this.byDate[pos] as Consignment;
      const party: RocarsParty = (hit & 1) === SHIPPER ? c.shipper : c.consignee;
      items.push({ ...c, matchedParty: { role: (hit & 1) === SHIPPER ? 'shipper' : 'consignee', name: party.name, br: party.br } });
    }
    return { items };
  }

  /** All party hits whose compact name starts with prefix, newest first. */
  private partyPrefix(prefix: string): Int32Array {
    let lo = 0;
    let hi = this.partyNames.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.partyNames[mid] as string) < prefix) lo = mid + 1;
      else hi = mid;
    }
    const hits: number[] = [];
    for (let i = lo; i < this.partyNames.length; i++) {
      const name = this.partyNames[i] as string;
      if (!name.startsWith(prefix)) break;
      for (const hit of this.party.get(name) as number[]) hits.push(hit);
    }
    return Int32Array.from(hits).sort();
  }
}

function add(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  // Positions arrive in order; a name indexed under several keys, or a party on both sides, repeats one.
  else if (list[list.length - 1] !== value) list.push(value);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

function handle(index: ConsignmentIndex, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://rocars');
  if (url.pathname !== '/health' && url.pathname !== '/api/v1/consignments') {
    send(res, 404, { error: 'not_found', message: `no route for ${url.pathname}` });
    return;
  }
  if (req.method !== 'GET') {
    res.setHeader('allow', 'GET');
    send(res, 405, { error: 'method_not_allowed', message: 'only GET is supported' });
    return;
  }
  if (url.pathname === '/health') {
    send(res, 200, { status: 'ok', consignments: index.byDate.length });
    return;
  }
  const given = QUERY_KINDS.filter((kind) => url.searchParams.has(kind));
  if (given.length !== 1) {
    send(res, 400, { error: 'bad_request', message: `exactly one of ${QUERY_KINDS.join(', ')} is required` });
    return;
  }
  const kind = given[0] as QueryKind;
  const rawLimit = url.searchParams.get('limit');
  if (rawLimit !== null && !/^[1-9][0-9]*$/.test(rawLimit)) {
    send(res, 400, { error: 'bad_request', message: 'limit must be a positive integer' });
    return;
  }
  const limit = rawLimit === null ? DEFAULT_LIMIT : Math.min(Number(rawLimit), MAX_LIMIT);
  const result = index.find(kind, url.searchParams.get(kind) ?? '', limit);
  if ('error' in result) send(res, 400, { error: 'bad_request', message: result.error });
  else send(res, 200, result);
}

export async function startRocars(opts: RocarsOptions): Promise<RocarsServer> {
  const index = new ConsignmentIndex(opts.consignments);
  const server = createServer((req, res) => handle(index, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Clients keep connections alive; without this close() waits for them to time out.
        server.closeAllConnections();
      }),
  };
}
