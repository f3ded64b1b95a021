import { copyFileSync } from 'node:fs';
import type { Emulator } from '@logtank/emulator';
import { describe, expect, it } from 'vitest';
import { nowNs, postReport, standardBody } from '../test/report-request.ts';
import { producerBody, signedReport } from '../test/signed-request.ts';
import { browserAvailable, consoleSession, resultsDirectory } from './browser.ts';

const session = consoleSession();

/** What a small web app and its worker would ship in a few seconds, with a few faults on the way. */
async function shipSampleTraffic(started: Emulator): Promise<void> {
  const web = { app: 'shop-web', env: 'dev', host: 'laptop' };
  const line = (fields: Record<string, unknown>) =>
    JSON.stringify({ time: new Date().toISOString(), ...fields });
  await postReport(started, {
    body: standardBody(
      [
        line({ level: 'info', msg: 'server listening', port: 3000 }),
        line({ level: 'info', msg: 'GET /products 200', durationMs: 12.4, requestId: 'r-81f2' }),
      ],
      { labels: web },
    ),
  });
  started.faults.enqueue({ status: 503 });
  await postReport(started, {
    body: standardBody([line({ level: 'warn', msg: 'lost' })], { labels: web }),
  });
  await postReport(started, {
    body: standardBody(
      [
        line({ level: 'warn', msg: 'slow query', table: 'orders', durationMs: 812 }),
        line({
          level: 'error',
          msg: 'payment declined',
          order: { id: 1042, total: 59.9, currency: 'EUR' },
          err: { type: 'CardError', code: 'insufficient_funds' },
        }),
      ],
      { labels: web },
    ),
  });
  await signedReport(started, {
    api: 'batch',
    body: producerBody([
      {
        entries: [
          { log: 'job 17 started: resize 24 images', timeNs: nowNs() },
          { log: 'job 17 done in 1.8 s', timeNs: nowNs() + 1_800_000_123n },
        ],
        labels: { app: 'shop-worker', env: 'dev', queue: 'images' },
      },
    ]),
  });
  await postReport(started, { token: null });
}

describe.skipIf(!browserAvailable)('the console, as a person sees it (headless Chromium)', () => {
  it('renders the records and the requests views (screenshots in test-results/)', async () => {
    const emulator = await session.start();
    const opened = await session.open({ width: 1366, height: 768 });
    const { page } = opened;
    await shipSampleTraffic(emulator);
    const rows = page.getByRole('table', { name: 'Records' }).locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(6);
    await rows.nth(2).locator('summary').click();
    await expect.poll(() => page.locator('#counters').textContent()).toMatch(/401: 1.*503: 1/);
    const records = new URL('console-records.png', resultsDirectory);
    await page.screenshot({ path: records.pathname });
    if (process.env.LOGTANK_CONSOLE_SCREENSHOT) {
      copyFileSync(records, process.env.LOGTANK_CONSOLE_SCREENSHOT);
    }
    await page.getByRole('tab', { name: 'Requests & faults' }).click();
    await expect
      .poll(() => page.getByRole('table', { name: 'Requests' }).locator('tbody tr').count())
      .toBe(5);
    await page.screenshot({ path: new URL('console-requests.png', resultsDirectory).pathname });
  });
});
