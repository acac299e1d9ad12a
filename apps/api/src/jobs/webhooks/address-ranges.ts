import { BlockList, isIP } from 'node:net';

/**
 * Addresses a callback must never reach unless explicitly allowed: loopback, private, link-local (cloud
 * metadata at 169.254.169.254), carrier-grade NAT, documentation, benchmarking, multicast and reserved ranges.
 */
const NON_PUBLIC_V4 = [
  '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24',
  '192.0.2.0/24', '192.88.99.0/24', '192.168.0.0/16', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24',
  '224.0.0.0/4', '240.0.0.0/4',
];
const NON_PUBLIC_V6 = [
  // ::/96 holds the unspecified address, loopback and the deprecated IPv4-compatible form (::127.0.0.1).
  '::/96', '100::/64', '2001:db8::/32', '3fff::/20', 'fc00::/7', 'fe80::/10', 'fec0::/10', 'ff00::/8',
  // Translation prefixes could smuggle a private IPv4 address through; nothing legitimate needs them here:
  // IPv4-translated (SIIT), NAT64 (well-known and local-use), 6to4, and the IETF protocol block with Teredo.
  '::ffff:0:0:0/96', '64:ff9b::/96', '64:ff9b:1::/48', '2002::/16', '2001::/23',
];

const nonPublic = new BlockList();
for (const range of NON_PUBLIC_V4) addRange(nonPublic, range);
for (const range of NON_PUBLIC_V6) addRange(nonPublic, range);

export function isPublicAddress(address: string): boolean {
  const v4 = embeddedV4(address);
  if (v4) return !nonPublic.check(v4, 'ipv4');
  const family = isIP(address);
  if (family === 0) return false;
  return !nonPublic.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** A list of hosts, IPs and CIDRs (config), matched against a host name and each address it resolves to. */
export class HostList {
  private readonly hosts = new Set<string>();
  private readonly suffixes: string[] = [];
  private readonly addresses = new BlockList();
  private empty = true;

  constructor(entries: readonly string[]) {
    for (const raw of entries) {
      const entry = raw.trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
      if (!entry) continue;
      this.empty = false;
      if (entry.includes('/')) addRange(this.addresses, entry);
      else if (isIP(entry)) this.addresses.addAddress(entry, isIP(entry) === 4 ? 'ipv4' : 'ipv6');
      else if (entry.startsWith('*.')) this.suffixes.push(entry.slice(1));
      else this.hosts.add(entry);
    }
  }

  matchesHost(host: string): boolean {
    const name = host.toLowerCase();
    return this.hosts.has(name) || this.suffixes.some((suffix) => name.endsWith(suffix));
  }

  matchesAddress(address: string): boolean {
    if (this.empty) return false;
    const v4 = embeddedV4(address);
    if (v4) return this.addresses.check(v4, 'ipv4');
    const family = isIP(address);
    return family !== 0 && this.addresses.check(address, family === 4 ? 'ipv4' : 'ipv6');
  }
}

/** `::ffff:10.0.0.1` (IPv4-mapped) is IPv4 as far as routing goes. */
function embeddedV4(address: string): string | undefined {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  return isIP(address) === 4 ? address : undefined;
}

function addRange(list: BlockList, cidr: string): void {
  const [network = '', bits = ''] = cidr.split('/');
  const family = isIP(network);
  const prefix = Number(bits);
  if (family === 0 || !Number.isInteger(prefix)) throw new Error(`not a CIDR range: ${cidr}`);
  list.addSubnet(network, prefix, family === 4 ? 'ipv4' : 'ipv6');
}
