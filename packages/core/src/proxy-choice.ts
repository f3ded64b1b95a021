import { BlockList, isIP } from 'node:net';
import { LtsOptionsError } from './errors.ts';
import { nonEmpty } from './option-validators.ts';

/** Where the proxy for a target comes from: the `proxy` option, or the environment (`undefined`). */
export type ProxySetting = URL | false | undefined;

/** The proxy chosen for a target, and what chose it (for messages: `proxy`, `HTTPS_PROXY`…). */
export interface ChosenProxy {
  url: URL;
  source: string;
}

/** How a request went, for an error message: through which proxy, set where (never its credentials). */
export function describeProxy(proxy: ChosenProxy): string {
  return `through the proxy ${proxy.url.protocol}//${proxy.url.host} (from ${proxy.source})`;
}

/**
 * The forward proxy for `target`, as curl chooses it: the `proxy` option (a
 * URL, or `false` for none), else `https_proxy`/`HTTPS_PROXY` for https
 * targets and `http_proxy`/`HTTP_PROXY` for http ones (then
 * `all_proxy`/`ALL_PROXY`); none when `NO_PROXY`/`no_proxy` names the host.
 * Loopback is not special: a local endpoint goes through the proxy unless
 * `NO_PROXY` names it.
 */
export function proxyFor(
  target: URL,
  setting: ProxySetting,
  environment: NodeJS.ProcessEnv,
): ChosenProxy | undefined {
  if (setting === false) return undefined;
  const proxy =
    setting === undefined
      ? proxyFromEnvironment(target, environment)
      : { url: setting, source: 'the proxy option' };
  if (proxy === undefined) return undefined;
  const noProxy = nonEmpty(environment.no_proxy) ?? nonEmpty(environment.NO_PROXY);
  return noProxy !== undefined && bypasses(target, noProxy) ? undefined : proxy;
}

/** Checks a proxy URL: http(s), no path; the password (if any) is never echoed. */
export function parseProxy(name: string, value: unknown): URL {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new LtsOptionsError(
      name,
      'must be a proxy URL such as http://proxy.example:3128, or false for no proxy',
    );
  }
  let url: URL;
  try {
    url = new URL(value.includes('://') ? value : `http://${value}`);
  } catch {
    throw new LtsOptionsError(name, 'must be a proxy URL such as http://proxy.example:3128');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new LtsOptionsError(
      name,
      `must be an http:// or https:// proxy; ${url.protocol.slice(0, -1)} proxies are not supported`,
    );
  }
  return url;
}

function proxyFromEnvironment(
  target: URL,
  environment: NodeJS.ProcessEnv,
): ChosenProxy | undefined {
  const names =
    target.protocol === 'https:'
      ? ['https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY']
      : ['http_proxy', 'HTTP_PROXY', 'all_proxy', 'ALL_PROXY'];
  for (const name of names) {
    const value = nonEmpty(environment[name]);
    if (value !== undefined) return { url: parseProxy(name, value), source: name };
  }
  return undefined;
}

/**
 * Whether `NO_PROXY` names the target: `*`; a host name, which also covers
 * its subdomains (a leading dot is optional); an IP address or a CIDR range;
 * each optionally with `:port`.
 */
function bypasses(target: URL, noProxy: string): boolean {
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  for (const raw of noProxy.split(/[\s,]+/)) {
    if (raw === '') continue;
    if (raw === '*') return true;
    const { entry, entryPort } = splitPort(raw.toLowerCase());
    if (entryPort !== undefined && entryPort !== port) continue;
    if (matchesHost(host, entry)) return true;
  }
  return false;
}

function splitPort(entry: string): { entry: string; entryPort: string | undefined } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed !== null) return { entry: bracketed[1]!, entryPort: bracketed[2] };
  const withPort = /^([^:]+):(\d+)$/.exec(entry);
  return withPort === null
    ? { entry, entryPort: undefined }
    : { entry: withPort[1]!, entryPort: withPort[2] };
}

function matchesHost(host: string, entry: string): boolean {
  const slash = entry.indexOf('/');
  if (slash !== -1) {
    const network = entry.slice(0, slash);
    const prefix = Number(entry.slice(slash + 1));
    const family = isIP(network);
    if (family === 0 || isIP(host) !== family || !Number.isInteger(prefix)) return false;
    const range = new BlockList();
    try {
      range.addSubnet(network, prefix, family === 4 ? 'ipv4' : 'ipv6');
    } catch {
      return false;
    }
    return range.check(host, family === 4 ? 'ipv4' : 'ipv6');
  }
  const name = entry.startsWith('.') ? entry.slice(1) : entry;
  return host === name || (isIP(host) === 0 && host.endsWith(`.${name}`));
}
