import { LtsOptionsError } from './errors.ts';
import { describe, onlyKnownKeys, optionalObject, requireString } from './option-validators.ts';
import { type ProxySetting, parseProxy } from './proxy-choice.ts';
import type { LtsClientOptions, TlsOptions } from './types.ts';

/** TLS connect options handed to undici. */
export interface ResolvedTlsOptions {
  ca: Array<string | Buffer> | undefined;
  servername: string | undefined;
  rejectUnauthorized: boolean;
}

/** The `proxy` option: a URL, `false` (none), or undefined (the environment decides). */
export function resolveProxySetting(value: LtsClientOptions['proxy']): ProxySetting {
  return value === undefined || value === false ? value : parseProxy('proxy', value);
}

export function resolveTls(tls: LtsClientOptions['tls']): ResolvedTlsOptions {
  const value = optionalObject<TlsOptions>('tls', tls) ?? {};
  onlyKnownKeys('tls', value, ['ca', 'servername', 'rejectUnauthorized']);
  let ca: Array<string | Buffer> | undefined;
  if (value.ca !== undefined) {
    const list = Array.isArray(value.ca) ? value.ca : [value.ca];
    ca = list.map((entry, index) => {
      if (typeof entry !== 'string' && !Buffer.isBuffer(entry)) {
        throw new LtsOptionsError(
          Array.isArray(value.ca) ? `tls.ca[${index}]` : 'tls.ca',
          `must be a PEM string or Buffer; got ${describe(entry)}`,
        );
      }
      if (!String(entry).includes('-----BEGIN CERTIFICATE-----')) {
        throw new LtsOptionsError(
          Array.isArray(value.ca) ? `tls.ca[${index}]` : 'tls.ca',
          'must be a PEM certificate (-----BEGIN CERTIFICATE-----); read the file first, a path is not enough',
        );
      }
      return entry;
    });
  }
  const servername =
    value.servername === undefined ? undefined : requireString('tls.servername', value.servername);
  if (value.rejectUnauthorized !== undefined && typeof value.rejectUnauthorized !== 'boolean') {
    throw new LtsOptionsError(
      'tls.rejectUnauthorized',
      `must be a boolean; got ${describe(value.rejectUnauthorized)}`,
    );
  }
  return { ca, servername, rejectUnauthorized: value.rejectUnauthorized ?? true };
}
