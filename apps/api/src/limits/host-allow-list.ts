import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../common/domain-error';
import type { AppConfig } from '../config/app-config';

/** Names a local API always answers to. */
export const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/** Health probes (load balancers, Docker) address the task by IP; the public answers there hold nothing to steal. */
const PROBE_PATH = /^\/health(\/|$)/;

/**
 * DNS-rebinding defence while API keys are optional. A web page can make its own name resolve to 127.0.0.1 and then
 * call a keyless local API from the visitor's browser as "same origin"; the browser still sends the page's name as
 * Host, so answering only to known names stops it. With keys required a rebinding page has no key, so the check is
 * off (behind the ALB, Host is whatever name the operator chose).
 * Returns undefined when the check does not apply.
 */
export function hostAllowList(config: AppConfig) {
  const allowed = config.server.allowedHosts;
  if (config.auth.keysRequired || allowed === '*') return undefined;
  // An entry written with a port ("speech.lan:8080") means the name: the port is the listener's business.
  const names = new Set([...LOOPBACK_HOSTS, ...allowed.map((entry) => hostName(entry) ?? entry)]);
  return (request: Request, _response: Response, next: NextFunction): void => {
    if (PROBE_PATH.test(request.path)) return next();
    const host = hostName(request.headers.host);
    next(host !== undefined && names.has(host) ? undefined : hostNotAllowed(request.headers.host));
  };
}

/** The name part of a Host header, lower case: `Localhost:8080` → `localhost`, `[::1]:80` → `[::1]`. */
export function hostName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const value = header.trim().toLowerCase();
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    return end > 0 ? value.slice(0, end + 1) : undefined;
  }
  const [name, port, ...rest] = value.split(':');
  if (rest.length > 0 || (port !== undefined && !/^\d+$/.test(port))) return undefined;
  // A fully qualified name may end with a dot ("localhost."): the same host.
  return name?.replace(/\.$/, '') || undefined;
}

function hostNotAllowed(header: string | undefined): DomainError {
  const shown = (header ?? '').slice(0, 100);
  return new DomainError(
    'HOST_NOT_ALLOWED',
    `This server does not answer to the host "${shown}": while API keys are optional it answers only to ${LOOPBACK_HOSTS.join(', ')} ` +
      `and the names in ALLOWED_HOSTS (a defence against DNS rebinding). Add the name to ALLOWED_HOSTS (comma-separated), or require API keys with API_KEYS_REQUIRED=true.`,
    { host: shown, variable: 'ALLOWED_HOSTS' },
  );
}
