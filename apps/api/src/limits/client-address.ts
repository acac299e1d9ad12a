import { isIP } from 'node:net';

/**
 * The rate-limit key of a client address. IPv4 as is (also when it arrives IPv4-mapped, `::ffff:1.2.3.4`, from a
 * dual-stack socket). IPv6 by its /64: one subscriber usually holds a whole /64, and per-address buckets would let
 * it spray 2^64 addresses past the limit.
 */
export function rateLimitKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1] as string;
  if (isIP(address) !== 6) return address;
  const groups = expandIpv6(address);
  return groups ? `${groups.slice(0, 4).join(':')}::/64` : address;
}

/** Eight 16-bit groups, lower case without leading zeros; undefined when it does not parse. */
function expandIpv6(address: string): string[] | undefined {
  let text = address.toLowerCase().split('%')[0] as string;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 0) return undefined;
  return [...left, ...Array<string>(Math.max(0, missing)).fill('0'), ...right].map((group) => parseInt(group, 16).toString(16));
}
