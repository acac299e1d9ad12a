import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { DomainError } from '../../common/domain-error';
import { HostList, isPublicAddress } from './address-ranges';

export interface ResolvedCallback {
  readonly url: URL;
  /** The address to connect to: checked, so a second DNS answer (rebinding) cannot redirect the request. */
  readonly address: string;
  readonly family: 4 | 6;
}

export type Resolver = (host: string) => Promise<Array<{ address: string; family: number }>>;

const defaultResolver: Resolver = (host) => lookup(host, { all: true, verbatim: true });

const MAX_URL_LENGTH = 2048;

/**
 * Which callback URLs the API may call (SSRF guard). http(s) only, no credentials in the URL; the host is
 * resolved and EVERY address must be public, unless the host or address is on the allow list; the deny list
 * wins over everything. Checked when a job is created and again, re-resolved, before each delivery.
 */
export class CallbackUrlPolicy {
  private readonly allow: HostList;
  private readonly deny: HostList;

  constructor(allow: readonly string[], deny: readonly string[], private readonly resolve: Resolver = defaultResolver) {
    this.allow = new HostList(allow);
    this.deny = new HostList(deny);
  }

  async check(raw: string): Promise<ResolvedCallback> {
    const url = parse(raw);
    // The URL parser already lower-cases names and turns every numeric IPv4 spelling into dotted form;
    // a trailing dot ("localhost.") names the same host and must not slip past a list.
    const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
    if (this.deny.matchesHost(host)) throw rejected(`the host ${host} is on the deny list`);
    if (isLoopbackName(host) && !this.allow.matchesHost(host)) throw rejected(`${host} names this machine`);
    const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await this.lookup(host);
    for (const { address } of addresses) {
      if (this.deny.matchesAddress(address)) throw rejected(`${host} resolves to ${address}, which is on the deny list`);
      const allowed = this.allow.matchesHost(host) || this.allow.matchesAddress(address) || isPublicAddress(address);
      if (!allowed) throw rejected(`${host} resolves to ${address}, a private, loopback or reserved address`);
    }
    const first = addresses[0] as { address: string; family: number };
    return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
  }

  private async lookup(host: string): Promise<Array<{ address: string; family: number }>> {
    try {
      const addresses = await this.resolve(host);
      if (addresses.length > 0) return addresses;
    } catch {
      // reported below
    }
    throw rejected(`the host ${host} does not resolve`);
  }
}

/** RFC 6761: `localhost` and every name under it are loopback, whatever a resolver says. */
function isLoopbackName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost');
}

function parse(raw: string): URL {
  if (raw.length > MAX_URL_LENGTH) throw rejected(`it is longer than ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw rejected('it is not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw rejected(`the scheme ${url.protocol} is not http or https`);
  if (url.username || url.password) throw rejected('credentials in the URL are not accepted; authenticate with the signature');
  return url;
}

function rejected(reason: string): DomainError {
  return new DomainError('CALLBACK_URL_REJECTED', `The callback_url is not allowed: ${reason}.`, { param: 'callback_url' });
}
