import { type DropEvent, LtsClient, type LtsClientOptions, LtsDeliveryError } from '@logtank/core';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
// The emulator's own browser helpers: one browser per file, each page checked for
// requests to other origins and console errors when it closes.
import {
  browserAvailable,
  consoleSession,
  recordRows,
} from '../../../packages/emulator/browser-test/browser.ts';

// What a developer sees in the console while their app's logger (the real
// client, over real HTTP) ships, fails, retries and recovers.

const session = consoleSession();
const clients: LtsClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close({ timeoutMs: 2_000 })));
});

/** A client as an app would make it, with what it reports kept for the test. */
function startClient(options: LtsClientOptions) {
  const errors: Error[] = [];
  const drops: DropEvent[] = [];
  const client = new LtsClient({
    retry: { baseDelayMs: 20, maxDelayMs: 100 },
    lingerMs: 10,
    ...options,
    onError: (error) => errors.push(error),
    onDrop: (event) => drops.push(event),
  });
  clients.push(client);
  return { client, errors, drops };
}

function recordsTable(page: Page) {
  return page.getByRole('table', { name: 'Records' }).locator('tbody tr');
}

/** The request log's status column, oldest first. */
async function requestStatuses(page: Page): Promise<string[]> {
  const rows = page.getByRole('table', { name: 'Requests' }).locator('tbody tr');
  const statuses = await rows.evaluateAll((all) =>
    all.map((row) => (row.children[2]?.textContent ?? '').trim()),
  );
  return statuses.reverse();
}

async function applied(page: Page, text: string): Promise<void> {
  await expect.poll(() => page.locator('#control-result').textContent()).toBe(text);
}

describe.skipIf(!browserAvailable)(
  'the console watching the real client (headless Chromium)',
  () => {
    it('shows what the client sends after the page loaded, live, with labels, API and credential', async () => {
      const emulator = await session.start();
      const { page } = await session.open();
      const web = startClient({ ...emulator.clientOptions(), labels: { app: 'web' } });
      web.client.send({ content: 'GET /health 200', labels: { env: 'dev' } });
      web.client.send({ content: JSON.stringify({ level: 'info', msg: 'user signed in' }) });
      await web.client.flush();
      const signed = startClient({
        ...emulator.clientOptions({ credentials: 'access-key' }),
        api: 'high-accuracy',
        labels: { app: 'worker' },
      });
      signed.client.send({ content: 'job 17 done' });
      await signed.client.flush();

      await expect.poll(() => recordsTable(page).count()).toBe(3);
      const rows = await recordRows(page);
      const byContent = new Map(rows.map((row) => [row[4], row.slice(1, 4)]));
      expect(byContent.get('GET /health 200')).toEqual(['app=webenv=dev', 'standard', 'token']);
      expect(byContent.get('job 17 done')).toEqual(['app=worker', 'high-accuracy', 'access key']);
      expect(rows.find((row) => row[4]!.includes('user signed in'))!.slice(1, 4)).toEqual([
        'app=web',
        'standard',
        'token',
      ]);
      expect([web, signed].flatMap(({ errors, drops }) => [...errors, ...drops])).toEqual([]);
      await expect
        .poll(() => page.locator('#counters').textContent())
        .toMatch(/Records3.*Requests3.*200: 3.*Label sets3/);
    });

    it('a 503 rate set from the page makes the client retry; clearing it lets the client deliver', async () => {
      const emulator = await session.start();
      const opened = await session.open();
      const { page } = opened;
      await page.getByRole('tab', { name: 'Requests & faults' }).click();
      await page.getByLabel('Status', { exact: true }).selectOption('503');
      await page.getByLabel('Rate (%)').fill('100');
      await page.getByRole('button', { name: 'Set failure rate' }).click();
      await applied(page, '100% of report requests now answer 503.');

      const app = startClient({ ...emulator.clientOptions(), labels: { app: 'retrying' } });
      for (let index = 0; index < 5; index++) app.client.send({ content: `order ${index} paid` });
      // The client retries: the page logs each refused attempt, the client reports each.
      await expect
        .poll(() => requestStatuses(page).then((statuses) => statuses.length))
        .toBeGreaterThanOrEqual(2);
      expect(new Set(await requestStatuses(page))).toEqual(new Set(['503']));
      await expect.poll(() => app.errors.length).toBeGreaterThanOrEqual(1);
      expect(app.errors[0]).toBeInstanceOf(LtsDeliveryError);
      expect(app.errors[0]!.message).toMatch(/503/);

      await page.getByRole('button', { name: 'Clear faults' }).click();
      await applied(page, 'Faults cleared (token expiries stay).');
      await app.client.flush();
      expect(app.client.stats()).toMatchObject({ sent: 5, delivered: 5, dropped: 0 });
      expect(app.client.stats().retries).toBeGreaterThanOrEqual(1);
      expect(app.drops).toEqual([]);
      await expect
        .poll(() => requestStatuses(page).then((statuses) => statuses.at(-1)))
        .toBe('200');
      await page.getByRole('tab', { name: 'Records' }).click();
      await expect.poll(() => recordsTable(page).count()).toBe(5);
    });

    it('a temporary key revoked from the page: the client fetches a new one and delivers', async () => {
      const emulator = await session.start({ metadata: true });
      const opened = await session.open();
      const { page } = opened;
      const app = startClient({
        ...emulator.clientOptions({ credentials: 'ecs-metadata' }),
        labels: { app: 'on-ecs' },
      });
      app.client.send({ content: 'before the revocation' });
      await app.client.flush();
      await expect.poll(() => recordsTable(page).count()).toBe(1);
      expect((await recordRows(page))[0]!.slice(2, 5)).toEqual([
        'standard',
        'temporary key',
        'before the revocation',
      ]);
      const firstKey = emulator.requests().at(-1)!.credential!.id;

      await page.getByRole('tab', { name: 'Requests & faults' }).click();
      await page.getByRole('button', { name: `Revoke ${firstKey}` }).click();
      await applied(page, `Key ${firstKey} was revoked.`);
      app.client.send({ content: 'after the revocation' });
      await app.client.flush();

      expect(app.client.stats()).toMatchObject({ sent: 2, delivered: 2, dropped: 0 });
      expect(app.client.stats().tokenRenewals).toBeGreaterThanOrEqual(1);
      await expect
        .poll(() => requestStatuses(page).then((statuses) => statuses.slice(-3)))
        .toEqual(['200', '401', '200']);
      const lastKey = emulator.requests().at(-1)!.credential!.id;
      expect(lastKey).not.toBe(firstKey);
      await page.getByRole('button', { name: `Revoke ${lastKey}` }).waitFor();
      await page.getByRole('tab', { name: 'Records' }).click();
      await expect.poll(() => recordsTable(page).count()).toBe(2);
    });

    it("a token expired from the page: the client's static token is refused, its records dropped as unauthorized", async () => {
      const emulator = await session.start();
      const opened = await session.open();
      const { page } = opened;
      const app = startClient(emulator.clientOptions());
      app.client.send({ content: 'accepted' });
      await app.client.flush();
      const tokenId = emulator.requests().at(-1)!.tokenId!;

      await page.getByRole('tab', { name: 'Requests & faults' }).click();
      await page.getByRole('button', { name: `Expire token ${tokenId}` }).click();
      await applied(page, `Token ${tokenId} has expired.`);
      app.client.send({ content: 'refused' });
      await app.client.flush();

      expect(app.drops.map((drop) => [drop.reason, drop.count])).toEqual([['unauthorized', 1]]);
      expect(app.client.stats()).toMatchObject({ sent: 2, delivered: 1, dropped: 1 });
      await expect
        .poll(() => requestStatuses(page).then((statuses) => statuses.at(-1)))
        .toBe('401');
      // The page shows the token's fingerprint, never the token.
      expect(await page.content()).not.toContain(emulator.token.slice(0, 40));
    });
  },
);
