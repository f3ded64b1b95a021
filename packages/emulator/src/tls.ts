import { createSecureContext } from 'node:tls';
import { generate } from 'selfsigned';
import { describeKind, isObject, refuseUnknownKeys } from './option-names.ts';

/** A server key and certificate for 127.0.0.1, ::1 and localhost, and the CA that signed them. */
export interface EmulatorCertificates {
  key: string;
  cert: string;
  ca: string;
}

let cached: Promise<EmulatorCertificates> | undefined;

/** Generates (once per process) a CA and a server certificate signed by it, valid for a week. */
export function emulatorCertificates(): Promise<EmulatorCertificates> {
  cached ??= (async () => {
    const notAfterDate = new Date(Date.now() + 7 * 24 * 3600 * 1000);
    const common = { keyType: 'ec', curve: 'P-256', algorithm: 'sha256', notAfterDate } as const;
    const authority = await generate([{ name: 'commonName', value: 'logtank emulator test CA' }], {
      ...common,
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      ],
    });
    const server = await generate([{ name: 'commonName', value: 'localhost' }], {
      ...common,
      ca: { key: authority.private, cert: authority.cert },
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: 'localhost' },
            { type: 7, ip: '127.0.0.1' },
            { type: 7, ip: '::1' },
          ],
        },
      ],
    });
    return { key: server.private, cert: server.cert, ca: authority.cert };
  })();
  return cached;
}

/** Your own key and certificate (`tls: { key, cert, ca? }`), checked. */
export interface TlsFiles {
  key: string | Buffer;
  cert: string | Buffer;
  /** As text: it is handed out as `emulator.ca`. */
  ca: string | undefined;
}

const tlsOptionNames = ['key', 'cert', 'ca'];
const pemShapes = {
  key: {
    expected: 'a PEM private key ("-----BEGIN PRIVATE KEY-----"…)',
    begin: /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  },
  cert: {
    expected: 'a PEM certificate ("-----BEGIN CERTIFICATE-----"…)',
    begin: /-----BEGIN CERTIFICATE-----/,
  },
  ca: {
    expected: 'a PEM certificate ("-----BEGIN CERTIFICATE-----"…)',
    begin: /-----BEGIN CERTIFICATE-----/,
  },
} as const;

/**
 * Checks the `tls` option: true, false, or `{ key, cert, ca? }` with PEM text
 * (a string or a Buffer) in each, and the key and the certificate usable
 * together. Throws a TypeError naming the field and what it must be; never
 * quotes the key material (nor OpenSSL's reading of it).
 */
export function checkTlsOptions(value: unknown): false | true | TlsFiles {
  if (value === undefined || value === false) return false;
  if (value === true) return true;
  if (!isObject(value) || Buffer.isBuffer(value)) {
    throw new TypeError(
      `startEmulator: option tls must be true (a generated certificate) or { key, cert, ca? } (PEM text, as strings or Buffers); got ${describeKind(value)}.`,
    );
  }
  refuseUnknownKeys(value, tlsOptionNames, 'tls');
  const key = pem('key', value.key);
  const cert = pem('cert', value.cert);
  const ca = value.ca === undefined ? undefined : pem('ca', value.ca).toString();
  try {
    createSecureContext({ key, cert });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const mismatch = /mismatch/i.test((error as Error)?.message ?? '');
    throw new TypeError(
      mismatch
        ? 'startEmulator: option tls.key is not the private key of the certificate in tls.cert.'
        : `startEmulator: options tls.key and tls.cert could not be loaded${typeof code === 'string' ? ` (${code})` : ''}: tls.key must be a PEM private key ("-----BEGIN PRIVATE KEY-----"…) and tls.cert the PEM certificate that goes with it, as strings or Buffers.`,
    );
  }
  return { key, cert, ca };
}

/** One PEM field: a string or a Buffer holding PEM text of the expected kind. */
function pem(field: keyof typeof pemShapes, value: unknown): string | Buffer {
  const { begin } = pemShapes[field];
  const expected = `must be ${pemShapes[field].expected}, as a string or a Buffer`;
  if (typeof value !== 'string' && !Buffer.isBuffer(value)) {
    throw new TypeError(
      `startEmulator: option tls.${field} ${expected}; got ${describeKind(value)}.`,
    );
  }
  const text = typeof value === 'string' ? value : value.toString('latin1');
  if (!begin.test(text)) {
    const path = typeof value === 'string' && !/\n/.test(value) && /[./\\]/.test(value);
    throw new TypeError(
      `startEmulator: option tls.${field} ${expected}; got ${describeKind(value)} without such a PEM block${path ? " (a file path? pass the file's contents, e.g. readFileSync(path))" : ''}.`,
    );
  }
  return value;
}
