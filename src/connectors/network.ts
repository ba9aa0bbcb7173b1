import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

// Where HTTP sources may point. A definition comes from an administrator's request, so a mistaken or
// malicious one must not turn the hub into a proxy into places only it can reach — above all the cloud
// metadata service and other link-local addresses, refused always. With an allow-list configured, a
// source's host must be on it and every address it resolves to must be too; the check runs again at
// every connection (DNS can change after the definition was accepted).

/** Never a source: link-local ranges (cloud metadata lives there), "this network", vendor metadata IPs. */
const ALWAYS_BLOCKED: readonly [string, number, 'ipv4' | 'ipv6'][] = [
  ['169.254.0.0', 16, 'ipv4'],
  ['0.0.0.0', 8, 'ipv4'],
  ['100.100.100.200', 32, 'ipv4'],
  ['fe80::', 10, 'ipv6'],
  ['fd00:ec2::254', 128, 'ipv6'],
];

export interface NetworkSettings {
  /** Host names (`rocars.internal`, `*.customs.internal`) and networks (`10.20.0.0/16`, `127.0.0.1`). */
  allow?: string[];
}

export class NetworkPolicy {
  readonly #blocked = new BlockList();
  readonly #allowedNets: BlockList | undefined;
  readonly #allowedHosts: string[];

  constructor(settings: NetworkSettings = {}) {
    for (const [net, prefix, family] of ALWAYS_BLOCKED) this.#blocked.addSubnet(net, prefix, family);
    const allow = settings.allow;
    this.#allowedHosts = [];
    if (allow === undefined) {
      this.#allowedNets = undefined;
      return;
    }
    this.#allowedNets = new BlockList();
    for (const entry of allow) {
      const [addr, bits] = entry.split('/');
      const family = isIP(addr ?? '');
      if (family === 0) {
        this.#allowedHosts.push(entry.toLowerCase());
        continue;
      }
      const type = family === 4 ? 'ipv4' : 'ipv6';
      this.#allowedNets.addSubnet(addr!, bits === undefined ? (family === 4 ? 32 : 128) : Number(bits), type);
    }
  }

  /** Why `url` may not be a source's address, or undefined when it may. */
  refuseUrl(url: string): string | undefined {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    const family = isIP(host);
    if (family !== 0) {
      const refused = this.refuseAddress(host, family);
      if (refused || !this.#allowedNets || this.#allowedNets.check(host, family === 6 ? 'ipv6' : 'ipv4')) return refused;
      return `address ${host} is not in network.allow`;
    }
    if (this.#allowedNets && !this.#hostAllowed(host)) return `host ${host} is not in network.allow`;
    return undefined;
  }

  refuseAddress(address: string, family: number): string | undefined {
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (this.#blocked.check(address, type)) return `address ${address} is link-local or a metadata service`;
    return undefined;
  }

  /**
   * A DNS lookup for the sockets of HTTP sources that refuses blocked addresses, and, with an
   * allow-list, addresses outside it unless the host itself was allowed by name.
   */
  lookup(): LookupFunction {
    return (hostname, options, callback) => {
      dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
        if (err) return callback(err, '', 0);
        const byName = this.#hostAllowed(hostname);
        const ok = addresses.filter(
          (a) =>
            this.refuseAddress(a.address, a.family) === undefined &&
            (!this.#allowedNets || byName || this.#allowedNets.check(a.address, a.family === 6 ? 'ipv6' : 'ipv4')),
        );
        if (ok.length === 0) {
          const refused = Object.assign(new Error(`${hostname} resolves only to addresses sources may not use`), { code: 'ESOURCEADDRESS' });
          return callback(refused, '', 0);
        }
        if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, ok);
        return callback(null, ok[0]!.address, ok[0]!.family);
      });
    };
  }

  #hostAllowed(host: string): boolean {
    const h = host.toLowerCase();
    return this.#allowedHosts.some((a) => (a.startsWith('*.') ? h.endsWith(a.slice(1)) : h === a));
  }
}
