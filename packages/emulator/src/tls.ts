import { generate } from 'selfsigned';

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
