import { type Emulator, startEmulator } from '@logtank/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { httpsRequest } from './https-request.ts';
import { ownCertificate } from './own-certificate.ts';
import { jsonContentType, reportPath, standardBody } from './report-request.ts';

let emulator: Emulator;
afterEach(async () => {
  await emulator?.stop();
});

function report(ca: string | undefined, content: string) {
  return httpsRequest(`${emulator.url}${reportPath(emulator.ids)}`, {
    ...(ca === undefined ? {} : { ca }),
    method: 'POST',
    headers: { 'x-auth-token': emulator.token, 'content-type': jsonContentType },
    body: standardBody([content]),
  });
}

describe('HTTPS with a generated certificate', () => {
  it('serves https and a client trusting emulator.ca connects', async () => {
    emulator = await startEmulator({ tls: true });
    expect(emulator.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(emulator.ca).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const answer = await report(emulator.ca, 'over tls');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ errorCode: 'SVCSTG.ALS.200.200' });
    expect(emulator.records().map((record) => record.content)).toEqual(['over tls']);
  });

  it('refuses a client that does not trust the CA (certificate error), storing nothing', async () => {
    emulator = await startEmulator({ tls: true });
    const error = (await report(undefined, 'untrusted').then(
      () => undefined,
      (failure: NodeJS.ErrnoException) => failure,
    )) as NodeJS.ErrnoException | undefined;
    expect(error?.code).toMatch(
      /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/,
    );
    expect(emulator.records()).toEqual([]);
  });

  it('the certificate is valid for localhost too', async () => {
    emulator = await startEmulator({ tls: true, host: 'localhost' });
    const url = emulator.url.replace(/^https:\/\/[^:]+|^https:\/\/\[[^\]]+\]/, 'https://localhost');
    const answer = await httpsRequest(`${url}/_emulator/health`, { ca: emulator.ca! });
    expect(answer.status).toBe(200);
  });

  it('clientOptions() carries the CA and the https endpoint', async () => {
    emulator = await startEmulator({ tls: true });
    expect(emulator.clientOptions()).toEqual({
      endpoint: emulator.url,
      ...emulator.ids,
      token: emulator.token,
      tls: { ca: emulator.ca },
    });
  });
});

describe('HTTPS with your own key and certificate', () => {
  it('serves them; emulator.ca is the CA you passed', async () => {
    const own = await ownCertificate();
    emulator = await startEmulator({ tls: { key: own.private, cert: own.cert, ca: own.cert } });
    expect(emulator.ca).toBe(own.cert);
    expect((await report(own.cert, 'own cert')).status).toBe(200);
    expect(emulator.records()).toHaveLength(1);
  });
});
